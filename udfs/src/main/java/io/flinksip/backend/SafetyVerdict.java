package io.flinksip.backend;

/** A pointwise safety verdict; the score is 1 for safe, 0 for unsafe. */
public enum SafetyVerdict {
    SAFE(1.0),
    UNSAFE(0.0);

    private final double score;

    SafetyVerdict(double score) {
        this.score = score;
    }

    public double score() {
        return score;
    }
}
