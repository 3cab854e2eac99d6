package io.flinksip.reward;

import io.flinksip.schema.Objective;

import java.io.Serializable;

/**
 * How a judged candidate set becomes a training example.
 *
 * @param objective DPO (chosen = top, rejected = bottom) or RF_NLL (the top only)
 * @param minMargin DPO pairs whose chosen and rejected scores differ by less are dropped as {@code no_preference}
 * @param trainOnSuffix whether the original suffix may be chosen or rejected; when false it is judged (it is the
 *     factuality reference and the pivot) but only the rewrite and rollouts form the pair (the paper's quality and
 *     factuality runs pair rollouts only)
 */
public record RewardConfig(Objective objective, double minMargin, boolean trainOnSuffix) implements Serializable {
    public RewardConfig {
        if (objective == Objective.NTP) {
            throw new IllegalArgumentException("the reward stage serves the SIP objectives (DPO, RF_NLL)");
        }
        if (minMargin < 0) {
            throw new IllegalArgumentException("minMargin must be >= 0");
        }
    }
}
