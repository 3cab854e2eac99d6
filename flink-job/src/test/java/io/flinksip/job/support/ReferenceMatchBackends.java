package io.flinksip.job.support;

import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.JudgeBackendFactory;
import io.flinksip.backend.JudgeBackends;
import io.flinksip.backend.Judged;
import io.flinksip.backend.Rewriter;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Judges for exactly-once tests, chosen so that every sample yields a training example whatever the rollouts are:
 * factuality is 1 exactly for candidates equal to the reference (the suffix, and the rewrite, which copies it), 0
 * otherwise. (Tests crash tasks with {@link InjectedFailures}, whose state is shared through Flink's SharedObjects.)
 */
public final class ReferenceMatchBackends implements JudgeBackendFactory {
    private static final long serialVersionUID = 1L;
    private final long pacingMillis;

    /**
     * @param pacingMillis each rewrite holds the source's task this long, so a run lasts long enough for checkpoints
     *     to complete between records
     */
    public ReferenceMatchBackends(long pacingMillis) {
        this.pacingMillis = pacingMillis;
    }

    private void pace() {
        try {
            Thread.sleep(pacingMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public JudgeBackends create() {
        return new JudgeBackends(null, null,
                // A little latency, like a real judge, so that checkpoints complete while the job runs.
                (p, c, r) -> CompletableFuture.supplyAsync(() -> new Judged<>(c.equals(r)
                        ? FactualityVerdict.NO_HALLUCINATION : FactualityVerdict.DEFINITE_HALLUCINATION,
                        "match", "match", 5, 1), CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS)),
                (p, s) -> {
                    pace();
                    return CompletableFuture.completedFuture(new Rewriter.Rewritten(s, "copy", 0));
                });
    }
}
