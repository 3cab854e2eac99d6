package io.flinksip.backend.openai;

import io.flinksip.backend.Judged;
import io.flinksip.backend.PairwiseVerdict;
import io.flinksip.backend.QualityJudge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Pairwise quality through an LLM endpoint: "which continuation is more coherent", answered by Option 1 or 2. */
public final class OpenAiQualityJudge implements QualityJudge {
    private final ChatCompletionClient client;
    private final PromptTemplate template;

    public OpenAiQualityJudge(ChatCompletionClient client, PromptTemplate template) {
        this.client = client;
        this.template = template;
    }

    @Override
    public CompletableFuture<Judged<PairwiseVerdict>> compare(String prefix, String first, String second) {
        return compare(prefix, first, second, 0);
    }

    @Override
    public CompletableFuture<Judged<PairwiseVerdict>> compare(String prefix, String first, String second, int sample) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("prefix", prefix);
        texts.put("first", first);
        texts.put("second", second);
        return PromptedCall.run(client, template, texts, sample, VerdictParsers::quality);
    }
}
