package io.flinksip.learn;

import java.io.Serializable;

/**
 * Where the learner publishes its versions for the rollouts, and how many it keeps.
 *
 * @param weightStoreRoot the weight store
 * @param retainVersions versions kept in the weight store
 * @param keepPreviousVersions how many versions before the current one the learner keeps in its state and
 *     republishes after a restore (strict mode: the lag, since rollouts in flight need exactly those); 0 in latest mode
 */
public record Publishing(String weightStoreRoot, int retainVersions, int keepPreviousVersions) implements Serializable {
    public Publishing {
        if (retainVersions < 1 || keepPreviousVersions < 0) {
            throw new IllegalArgumentException("need retainVersions >= 1 and keepPreviousVersions >= 0");
        }
    }
}
