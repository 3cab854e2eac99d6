package io.flinksip.learn;

/**
 * Everything about how the policy is trained that is configuration, not state (it may change across a restore).
 *
 * @param optimizer AdamW, clipping and schedule
 * @param dpo online-DPO settings; null when the run never uses DPO (then no reference policy is kept)
 */
public record TrainerConfig(OptimizerConfig optimizer, DpoConfig dpo) implements java.io.Serializable {
    public TrainerConfig {
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer config is required");
        }
    }
}
