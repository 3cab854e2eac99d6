package io.flinksip.backend;

import java.util.concurrent.CompletableFuture;

/**
 * Pairwise quality: given a prefix and two continuations, which is the better continuation (more coherent; if both
 * are, the more factual and higher-quality). Futures complete exceptionally with a {@link JudgeException} when no
 * verdict could be obtained.
 */
public interface QualityJudge {
    CompletableFuture<Judged<PairwiseVerdict>> compare(String prefix, String first, String second);

    /**
     * The {@code sample}-th independent judgement of the same input, for judges asked several times (repeats are
     * averaged). Stochastic backends derive their sampling seed from it; deterministic ones ignore it.
     */
    default CompletableFuture<Judged<PairwiseVerdict>> compare(String prefix, String first, String second, int sample) {
        return compare(prefix, first, second);
    }
}
