package io.flinksip.reward;

import io.flinksip.schema.Objective;

import java.io.Serializable;

/**
 * How a judged candidate set becomes a training example.
 *
 * @param objective DPO (chosen = top, rejected = bottom) or RF_NLL (the top only)
 * @param minMargin DPO pairs whose chosen and rejected scores differ by less are dropped as {@code no_preference}
 */
public record RewardConfig(Objective objective, double minMargin) implements Serializable {
    public RewardConfig {
        if (objective == Objective.NTP) {
            throw new IllegalArgumentException("the reward stage serves the SIP objectives (DPO, RF_NLL)");
        }
        if (minMargin < 0) {
            throw new IllegalArgumentException("minMargin must be >= 0");
        }
    }
}
