package io.flinksip.backend.openai;

import java.io.Serializable;
import java.time.Duration;

/**
 * Exponential back-off with jitter for timeouts, 429 and 5xx replies, and unparsable verdicts.
 *
 * @param maxAttempts total attempts per call, the first included
 * @param initialBackoff wait before the second attempt
 * @param maxBackoff cap of the wait, also applied to a server's Retry-After
 * @param multiplier growth of the wait per attempt
 * @param jitter fraction of random spread around each wait, in [0, 1)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier,
                          double jitter) implements Serializable {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
        }
        if (multiplier < 1 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("multiplier must be >= 1 and jitter in [0, 1)");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, 0.2);
    }

    /** Wait before attempt {@code attempt + 1} (attempt is 1-based), with jitter drawn from {@code random01}. */
    public Duration backoff(int attempt, double random01) {
        double base = initialBackoff.toMillis() * Math.pow(multiplier, attempt - 1);
        double capped = Math.min(base, maxBackoff.toMillis());
        double spread = capped * jitter * (2 * random01 - 1);
        return Duration.ofMillis(Math.max(0, Math.round(capped + spread)));
    }
}
