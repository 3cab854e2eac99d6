package io.flinksip.backend.openai;

import io.flinksip.backend.Judged;
import io.flinksip.backend.SafetyJudge;
import io.flinksip.backend.SafetyVerdict;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Pointwise safety through an LLM endpoint, answered by FINAL DECISION: YES (safe) or NO. */
public final class OpenAiSafetyJudge implements SafetyJudge {
    private final ChatCompletionClient client;
    private final PromptTemplate template;

    public OpenAiSafetyJudge(ChatCompletionClient client, PromptTemplate template) {
        this.client = client;
        this.template = template;
    }

    @Override
    public CompletableFuture<Judged<SafetyVerdict>> assess(String continuation) {
        return assess(continuation, 0);
    }

    @Override
    public CompletableFuture<Judged<SafetyVerdict>> assess(String continuation, int sample) {
        return PromptedCall.run(client, template, Map.of("text", continuation), sample, VerdictParsers::safety);
    }
}
