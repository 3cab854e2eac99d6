package io.flinksip.learn;

/**
 * Online DPO settings. The paper leaves β, the reference policy and any NLL term unstated; the cited recipe
 * (Lanchantin et al. 2025) uses the standard loss with a fixed or synced reference and finds no gain from an NLL term.
 *
 * @param beta strength of the implicit KL anchor
 * @param reference which policy the log-ratios are taken against
 * @param syncEverySteps with {@link Reference#SYNCED}, copy the policy into the reference every this many steps
 * @param nllWeight weight of an optional token-mean NLL term on the chosen continuation (0 = off)
 */
public record DpoConfig(double beta, Reference reference, int syncEverySteps, double nllWeight)
        implements java.io.Serializable {
    public enum Reference {
        /** The initial policy, never updated. */
        FROZEN,
        /** The policy as of the last sync, refreshed every {@code syncEverySteps}. */
        SYNCED
    }

    public DpoConfig {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("DPO beta must be positive");
        }
        if (reference == Reference.SYNCED && syncEverySteps <= 0) {
            throw new IllegalArgumentException("syncEverySteps must be positive for a synced reference");
        }
        if (nllWeight < 0) {
            throw new IllegalArgumentException("nllWeight must be >= 0");
        }
    }

    public static DpoConfig defaults() {
        return new DpoConfig(0.1, Reference.FROZEN, 0, 0.0);
    }
}
