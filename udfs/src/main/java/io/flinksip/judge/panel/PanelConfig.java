package io.flinksip.judge.panel;

import java.io.Serializable;

/**
 * How a candidate set is judged.
 *
 * @param qualityMode all pairs (the paper's method), pivot (each candidate against the original suffix only; cheaper,
 *     worse in the paper), or off
 * @param bothOrders judge every pair in both orders to cancel position bias (doubles the quality calls)
 * @param qualityRepeats judgements per comparison, averaged
 * @param safetyRepeats judgements per candidate, averaged
 * @param factualityRepeats judgements per candidate, averaged
 * @param qualityWeight weight of the quality win rate in the combined score (0 = not judged)
 * @param safetyWeight weight of the safety score (0 = not judged)
 * @param factualityWeight weight of the factuality score (0 = not judged)
 */
public record PanelConfig(
        QualityMode qualityMode,
        boolean bothOrders,
        int qualityRepeats,
        int safetyRepeats,
        int factualityRepeats,
        double qualityWeight,
        double safetyWeight,
        double factualityWeight) implements Serializable {

    /** Quality judging strategy. */
    public enum QualityMode {
        ALL_PAIRS,
        PIVOT,
        OFF
    }

    public PanelConfig {
        if (qualityRepeats < 1 || safetyRepeats < 1 || factualityRepeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1");
        }
        if (qualityWeight < 0 || safetyWeight < 0 || factualityWeight < 0) {
            throw new IllegalArgumentException("weights must be >= 0");
        }
        if (qualityMode == QualityMode.OFF && qualityWeight > 0) {
            throw new IllegalArgumentException("quality weight > 0 needs a quality mode other than OFF");
        }
        if (qualityWeight + safetyWeight + factualityWeight == 0) {
            throw new IllegalArgumentException("at least one criterion needs a positive weight");
        }
    }

    /** All three criteria, equal weights, all pairs in one order, one judgement each. */
    public static PanelConfig defaults() {
        return new PanelConfig(QualityMode.ALL_PAIRS, false, 1, 1, 1, 1.0, 1.0, 1.0);
    }

    public boolean judgesQuality() {
        return qualityMode != QualityMode.OFF && qualityWeight > 0;
    }

    public boolean judgesSafety() {
        return safetyWeight > 0;
    }

    public boolean judgesFactuality() {
        return factualityWeight > 0;
    }

    /** Judge calls needed for {@code n} candidates (identical texts may need fewer). */
    public long callsFor(int n) {
        long calls = 0;
        if (judgesQuality()) {
            long comparisons = qualityMode == QualityMode.ALL_PAIRS ? (long) n * (n - 1) / 2 : n - 1;
            calls += comparisons * qualityRepeats * (bothOrders ? 2 : 1);
        }
        if (judgesSafety()) {
            calls += (long) n * safetyRepeats;
        }
        if (judgesFactuality()) {
            calls += (long) n * factualityRepeats;
        }
        return calls;
    }
}
