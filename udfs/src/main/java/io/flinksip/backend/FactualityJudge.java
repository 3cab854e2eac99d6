package io.flinksip.backend;

import java.util.concurrent.CompletableFuture;

/** Pointwise factuality of a candidate continuation, with the original suffix as the (assumed true) reference. */
public interface FactualityJudge {
    CompletableFuture<Judged<FactualityVerdict>> assess(String prefix, String candidate, String reference);

    /**
     * The {@code sample}-th independent judgement of the same input, for judges asked several times (repeats are
     * averaged). Stochastic backends derive their sampling seed from it; deterministic ones ignore it.
     */
    default CompletableFuture<Judged<FactualityVerdict>> assess(String prefix, String candidate, String reference, int sample) {
        return assess(prefix, candidate, reference);
    }
}
