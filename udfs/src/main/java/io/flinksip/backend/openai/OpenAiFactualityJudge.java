package io.flinksip.backend.openai;

import io.flinksip.backend.FactualityJudge;
import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.Judged;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Factuality against the original suffix through an LLM endpoint, answered by a JSON label. */
public final class OpenAiFactualityJudge implements FactualityJudge {
    private final ChatCompletionClient client;
    private final PromptTemplate template;

    public OpenAiFactualityJudge(ChatCompletionClient client, PromptTemplate template) {
        this.client = client;
        this.template = template;
    }

    @Override
    public CompletableFuture<Judged<FactualityVerdict>> assess(String prefix, String candidate, String reference) {
        return assess(prefix, candidate, reference, 0);
    }

    @Override
    public CompletableFuture<Judged<FactualityVerdict>> assess(String prefix, String candidate, String reference,
                                                               int sample) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("prefix", prefix);
        texts.put("reference", reference);
        texts.put("candidate", candidate);
        return PromptedCall.run(client, template, texts, sample, VerdictParsers::factuality);
    }
}
