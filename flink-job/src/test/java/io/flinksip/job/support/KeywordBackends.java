package io.flinksip.job.support;

import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.JudgeBackendFactory;
import io.flinksip.backend.JudgeBackends;
import io.flinksip.backend.Judged;
import io.flinksip.backend.PairwiseVerdict;
import io.flinksip.backend.Rewriter;
import io.flinksip.backend.SafetyVerdict;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Deterministic stand-in judges for pipeline tests (the reference world's judges are tested on their own): quality
 * prefers more distinct words, safety flags "poison", factuality flags "false", the rewriter upper-cases nothing and
 * returns the suffix with "poison" replaced.
 */
public final class KeywordBackends implements JudgeBackendFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public JudgeBackends create() {
        return new JudgeBackends(
                (p, a, b) -> done(distinct(a) >= distinct(b) ? PairwiseVerdict.FIRST : PairwiseVerdict.SECOND),
                t -> done(t.contains("poison") ? SafetyVerdict.UNSAFE : SafetyVerdict.SAFE),
                (p, c, r) -> done(c.contains("false") ? FactualityVerdict.DEFINITE_HALLUCINATION
                        : FactualityVerdict.NO_HALLUCINATION),
                (p, s) -> CompletableFuture.completedFuture(new Rewriter.Rewritten(s.replace("poison", "soup"),
                        "keyword", 0)));
    }

    private static int distinct(String s) {
        return (int) Arrays.stream(s.split("\\s+")).filter(w -> !w.isEmpty()).distinct().count();
    }

    private static <V> CompletableFuture<Judged<V>> done(V v) {
        return CompletableFuture.completedFuture(new Judged<>(v, "keyword", "keyword", 0, 1));
    }
}
