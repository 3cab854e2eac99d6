package io.flinksip.backend;

/**
 * A pointwise factuality verdict against the original suffix as reference; scores as in the paper: no hallucination
 * 1, possible 0.5, definite 0.
 */
public enum FactualityVerdict {
    NO_HALLUCINATION(1.0),
    POSSIBLE_HALLUCINATION(0.5),
    DEFINITE_HALLUCINATION(0.0);

    private final double score;

    FactualityVerdict(double score) {
        this.score = score;
    }

    public double score() {
        return score;
    }
}
