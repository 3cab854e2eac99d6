package io.flinksip.backend.openai;

import io.flinksip.backend.JudgeBackendFactory;
import io.flinksip.backend.JudgeBackends;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Judges and rewriter on OpenAI-compatible endpoints, one endpoint configuration per role (so a large judge and a
 * small rewriter can live on different servers). A null role is not built. Prompt templates come from
 * {@code promptDir} where it has a file of the template's name, else from the bundled ones.
 */
public record OpenAiBackendFactory(EndpointConfig quality, EndpointConfig safety, EndpointConfig factuality,
                                   EndpointConfig rewriter, String promptDir) implements JudgeBackendFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public JudgeBackends create() {
        Path prompts = promptDir == null ? null : Path.of(promptDir);
        Map<String, ClientMetrics> metrics = new LinkedHashMap<>();
        return new JudgeBackends(
                quality == null ? null : new OpenAiQualityJudge(client("quality", quality, metrics),
                        PromptTemplate.load("quality", prompts)),
                safety == null ? null : new OpenAiSafetyJudge(client("safety", safety, metrics),
                        PromptTemplate.load("safety", prompts)),
                factuality == null ? null : new OpenAiFactualityJudge(client("factuality", factuality, metrics),
                        PromptTemplate.load("factuality", prompts)),
                rewriter == null ? null : new OpenAiRewriter(client("rewriter", rewriter, metrics),
                        PromptTemplate.load("rewrite", prompts)),
                metrics);
    }

    private static ChatCompletionClient client(String role, EndpointConfig config, Map<String, ClientMetrics> into) {
        ClientMetrics metrics = new ClientMetrics();
        into.put(role, metrics);
        return new ChatCompletionClient(config, metrics);
    }
}
