package io.flinksip.sync;

import java.io.Serializable;

/**
 * When a sample of step window w may go on to the rollouts, and which policy version they must use. This is the flow
 * control that bounds staleness without dropping anything: samples wait before generation, never after it.
 *
 * <ul>
 *   <li>{@link #latest}(S): admitted once version w − S is published; rollouts use that version or a newer one.
 *       Window w is trained from version w, so no example is more than S versions old.</li>
 *   <li>{@link #strict}(L): admitted once version w − L is published; rollouts use exactly that version (L = 0 is
 *       fully synchronous: window w waits for the step that trains window w − 1).</li>
 *   <li>{@link #none()}: no rollouts (next-token pretraining): admitted at once.</li>
 * </ul>
 *
 * @param mode LATEST or STRICT; null for {@link #none()}
 * @param lag S (latest) or L (strict), in versions
 */
public record AdmissionRule(SyncMode mode, int lag) implements Serializable {
    public AdmissionRule {
        if (lag < 0) {
            throw new IllegalArgumentException("the staleness bound / lag must be >= 0, got " + lag);
        }
    }

    public static AdmissionRule latest(int maxStaleness) {
        return new AdmissionRule(SyncMode.LATEST, maxStaleness);
    }

    public static AdmissionRule strict(int lag) {
        return new AdmissionRule(SyncMode.STRICT, lag);
    }

    public static AdmissionRule none() {
        return new AdmissionRule(null, 0);
    }

    public boolean waitsForVersions() {
        return mode != null;
    }

    /** The version the rollouts of window w use (strict) or at least use (latest); -1 without rollouts. */
    public long rolloutVersion(long window) {
        return mode == null ? -1 : Math.max(0, window - lag);
    }

    /** Whether samples of window w may be generated now that {@code published} is the newest version (-1: none). */
    public boolean admits(long window, long published) {
        return mode == null || published >= rolloutVersion(window);
    }
}
