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
 */
public record SequenceConfig(StepWindows windows, AdmissionRule admission, String weightStoreRoot, long pollMillis,
                             int capacity) implements Serializable {
    public SequenceConfig {
        if (pollMillis < 1 || capacity < 1) {
            throw new IllegalArgumentException("poll interval and capacity must be positive");
        }
        if (admission.waitsForVersions() && weightStoreRoot == null) {
            throw new IllegalArgumentException("admission waits for policy versions: a weight store is needed");
        }
    }
}
