package io.flinksip.sync;

import java.io.Serializable;

/**
 * The sequence stage.
 *
 * @param windows how sequence numbers map to step windows
 * @param admission when a window's samples may go on to the rollouts
 * @param weightStoreRoot where the learner publishes the versions admission waits for
 * @param pollMillis how often waiting samples look for a new version
 * @param capacity samples that may wait at one subtask before it stops taking input (back-pressure)
 * @param idleCloseMillis latest mode: a shard silent this long has its partly filled window closed with the samples
 *     it has; 0 never (strict mode: which samples form a step must not depend on timing)
 */
public record SequenceConfig(StepWindows windows, AdmissionRule admission, String weightStoreRoot, long pollMillis,
                             int capacity, long idleCloseMillis) implements Serializable {
    public SequenceConfig {
        if (pollMillis < 1 || capacity < 1 || idleCloseMillis < 0) {
            throw new IllegalArgumentException("poll interval and capacity must be positive, the idle close >= 0");
        }
        if (idleCloseMillis > 0 && admission.mode() == SyncMode.STRICT) {
            throw new IllegalArgumentException("strict mode cannot close windows on idleness: steps would depend on "
                    + "timing");
        }
        if (admission.waitsForVersions() && weightStoreRoot == null) {
            throw new IllegalArgumentException("admission waits for policy versions: a weight store is needed");
        }
    }
}
