package io.flinksip.job.support;

import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.JudgeBackendFactory;
import io.flinksip.backend.JudgeBackends;
import io.flinksip.backend.Judged;
import io.flinksip.backend.Rewriter;
import org.apache.flink.testutils.junit.SharedReference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Judges that are not deterministic, like an LLM sampled at T = 1: the factuality verdict of every call is a coin flip.
 * Every call is counted by the prefix it was about (shared with the test), so the test can see whether a candidate set
 * was ever judged twice. The rewriter copies the suffix, and is counted the same way.
 */
public final class CoinFlipJudges implements JudgeBackendFactory {
    private static final long serialVersionUID = 1L;

    /** Calls by prefix text, judge and rewriter apart. */
    public static final class Calls {
        public final ConcurrentHashMap<String, AtomicInteger> judge = new ConcurrentHashMap<>();
        public final ConcurrentHashMap<String, AtomicInteger> rewrite = new ConcurrentHashMap<>();
    }

    private final SharedReference<Calls> calls;

    public CoinFlipJudges(SharedReference<Calls> calls) {
        this.calls = calls;
    }

    @Override
    public JudgeBackends create() {
        return new JudgeBackends(null, null,
                (prefix, candidate, reference) -> {
                    calls.get().judge.computeIfAbsent(prefix, p -> new AtomicInteger()).incrementAndGet();
                    FactualityVerdict v = ThreadLocalRandom.current().nextBoolean() ? FactualityVerdict.NO_HALLUCINATION
                            : FactualityVerdict.DEFINITE_HALLUCINATION;
                    return CompletableFuture.completedFuture(new Judged<>(v, "coin", "coin", 1, 1));
                },
                (prefix, suffix) -> {
                    calls.get().rewrite.computeIfAbsent(prefix, p -> new AtomicInteger()).incrementAndGet();
                    return CompletableFuture.completedFuture(new Rewriter.Rewritten(suffix, "copy", 0));
                });
    }
}
