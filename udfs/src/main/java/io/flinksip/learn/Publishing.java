package io.flinksip.learn;

import java.io.Serializable;

/**
 * Where the learner publishes its versions for the rollouts, and how many it keeps.
 *
 * @param weightStoreRoot the weight store
 * @param retainVersions versions kept in the weight store
 * @param keepPreviousVersions how many versions before the current one the learner keeps in its state and
 *     republishes after a restore (strict mode: the lag, since rollouts in flight need exactly those); 0 in latest mode
 * @param every P: every P-th version is published (and the last one of a bounded input, and the restored one after a
 *     restore); 1 publishes every version
 */
public record Publishing(String weightStoreRoot, int retainVersions, int keepPreviousVersions, int every)
        implements Serializable {
    public Publishing {
        if (retainVersions < 1 || keepPreviousVersions < 0 || every < 1) {
            throw new IllegalArgumentException("need retainVersions >= 1, keepPreviousVersions >= 0 and every >= 1");
        }
        if (every > 1 && keepPreviousVersions > 0) {
            throw new IllegalArgumentException("strict mode (keepPreviousVersions > 0) publishes every version");
        }
    }

    /** Publishing every version. */
    public Publishing(String weightStoreRoot, int retainVersions, int keepPreviousVersions) {
        this(weightStoreRoot, retainVersions, keepPreviousVersions, 1);
    }

    /** Whether version {@code version} goes to the weight store. */
    public boolean publishes(long version) {
        return version % every == 0;
    }
}
