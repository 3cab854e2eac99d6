package io.flinksip.job.support;

import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.JudgeBackendFactory;
import io.flinksip.backend.JudgeBackends;
import io.flinksip.backend.JudgeException;
import io.flinksip.backend.Judged;
import io.flinksip.backend.Rewriter;

import java.util.concurrent.CompletableFuture;

/**
 * Judges that fail on most samples, as an unreachable LLM endpoint does: the factuality judge gives up (UNAVAILABLE)
 * on every candidate whose prefix hashes to a non-zero value modulo {@code oneIn}, so those samples are dead-lettered
 * after their rollouts were generated. The rewriter copies the suffix.
 */
public final class FailingJudgeBackends implements JudgeBackendFactory {
    private static final long serialVersionUID = 1L;

    private final int oneIn;

    /** @param oneIn one sample in this many is judged; the others fail */
    public FailingJudgeBackends(int oneIn) {
        this.oneIn = oneIn;
    }

    @Override
    public JudgeBackends create() {
        return new JudgeBackends(null, null,
                (prefix, candidate, reference) -> Math.floorMod(prefix.hashCode(), oneIn) == 0
                        ? CompletableFuture.completedFuture(new Judged<>(candidate.equals(reference)
                        ? FactualityVerdict.NO_HALLUCINATION : FactualityVerdict.DEFINITE_HALLUCINATION, "flaky",
                        "flaky", 1, 1))
                        : CompletableFuture.failedFuture(new JudgeException(JudgeException.Reason.UNAVAILABLE,
                        "injected: the judge endpoint is down")),
                (prefix, suffix) -> CompletableFuture.completedFuture(new Rewriter.Rewritten(suffix, "copy", 0)));
    }
}
