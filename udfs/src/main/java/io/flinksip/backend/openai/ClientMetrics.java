package io.flinksip.backend.openai;

import io.flinksip.backend.JudgeException;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one client: calls, attempts, retries, final failures by reason, parse failures, and a latency
 * histogram. Thread-safe; the Flink operators expose these through Flink's metric system.
 */
public final class ClientMetrics {
    /** Upper bounds (ms) of the latency buckets; the last bucket is open-ended. */
    static final long[] BUCKET_BOUNDS_MS = {5, 10, 25, 50, 75, 100, 125, 150, 200, 300, 500, 750, 1_000, 2_000, 5_000,
        10_000, 30_000, 60_000};

    private final LongAdder calls = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder attempts = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder parseFailures = new LongAdder();
    private final Map<JudgeException.Reason, LongAdder> failures = new EnumMap<>(JudgeException.Reason.class);
    private final AtomicLongArray latencyBuckets = new AtomicLongArray(BUCKET_BOUNDS_MS.length + 1);
    private final LongAdder latencySumMs = new LongAdder();

    public ClientMetrics() {
        for (JudgeException.Reason r : JudgeException.Reason.values()) {
            failures.put(r, new LongAdder());
        }
    }

    void call() {
        calls.increment();
    }

    void attempt(boolean retry) {
        attempts.increment();
        if (retry) {
            retries.increment();
        }
    }

    void rateLimitedReply() {
        rateLimited.increment();
    }

    void parseFailure() {
        parseFailures.increment();
    }

    void success(long latencyMs) {
        succeeded.increment();
        latencySumMs.add(latencyMs);
        int b = 0;
        while (b < BUCKET_BOUNDS_MS.length && latencyMs > BUCKET_BOUNDS_MS[b]) {
            b++;
        }
        latencyBuckets.incrementAndGet(b);
    }

    void failure(JudgeException.Reason reason) {
        failures.get(reason).increment();
    }

    public long calls() {
        return calls.sum();
    }

    public long succeeded() {
        return succeeded.sum();
    }

    public long attempts() {
        return attempts.sum();
    }

    public long retries() {
        return retries.sum();
    }

    /** Replies with HTTP 429 (each one retried, or counted as UNAVAILABLE when the retries ran out). */
    public long rateLimited() {
        return rateLimited.sum();
    }

    public long parseFailures() {
        return parseFailures.sum();
    }

    public long failures(JudgeException.Reason reason) {
        return failures.get(reason).sum();
    }

    public long failures() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public double meanLatencyMillis() {
        long n = succeeded.sum();
        return n == 0 ? Double.NaN : latencySumMs.sum() / (double) n;
    }

    /** Approximate latency quantile from the histogram (upper bound of the bucket holding it). */
    public long latencyQuantileMillis(double q) {
        long total = 0;
        for (int i = 0; i < latencyBuckets.length(); i++) {
            total += latencyBuckets.get(i);
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < latencyBuckets.length(); i++) {
            seen += latencyBuckets.get(i);
            if (seen >= rank) {
                return i < BUCKET_BOUNDS_MS.length ? BUCKET_BOUNDS_MS[i] : Long.MAX_VALUE;
            }
        }
        return Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return String.format("calls=%d ok=%d attempts=%d retries=%d failures=%d parseFailures=%d meanLatency=%.1fms",
                calls(), succeeded(), attempts(), retries(), failures(), parseFailures(), meanLatencyMillis());
    }
}
