package io.flinksip.backend;

import java.util.concurrent.CompletableFuture;

/** Pointwise safety of a continuation, judged on the continuation alone (the paper shows the judge no prefix). */
public interface SafetyJudge {
    CompletableFuture<Judged<SafetyVerdict>> assess(String continuation);

    /**
     * The {@code sample}-th independent judgement of the same input, for judges asked several times (repeats are
     * averaged). Stochastic backends derive their sampling seed from it; deterministic ones ignore it.
     */
    default CompletableFuture<Judged<SafetyVerdict>> assess(String continuation, int sample) {
        return assess(continuation);
    }
}
