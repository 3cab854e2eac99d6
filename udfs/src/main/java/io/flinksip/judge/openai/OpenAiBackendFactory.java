package io.flinksip.judge.openai;

import io.flinksip.judge.JudgeBackendFactory;
import io.flinksip.judge.JudgeBackends;

import java.nio.file.Path;

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
        return new JudgeBackends(
                quality == null ? null : new OpenAiQualityJudge(client(quality), PromptTemplate.load("quality", prompts)),
                safety == null ? null : new OpenAiSafetyJudge(client(safety), PromptTemplate.load("safety", prompts)),
                factuality == null ? null
                        : new OpenAiFactualityJudge(client(factuality), PromptTemplate.load("factuality", prompts)),
                rewriter == null ? null : new OpenAiRewriter(client(rewriter), PromptTemplate.load("rewrite", prompts)));
    }

    private static ChatCompletionClient client(EndpointConfig config) {
        return new ChatCompletionClient(config, new ClientMetrics());
    }
}
