package io.flinksip.job.support;

import io.flinksip.weights.WeightStore;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits on what a running job has published to its weight store: the way tests see training progress without
 * reading logs or the job's internals.
 */
public final class PublishedSteps {
    private static final long POLL_MILLIS = 50;

    private PublishedSteps() {
    }

    /** Waits until any lineage has published {@code step} or later; returns the latest step seen there. */
    public static long await(WeightStore store, long step, Duration within) throws InterruptedException {
        return await(store, ns -> true, step, within, () -> true, () -> "");
    }

    /** Waits until a lineage that {@code namespace} accepts has published {@code step} or later. */
    public static long await(WeightStore store, Predicate<String> namespace, long step, Duration within)
            throws InterruptedException {
        return await(store, namespace, step, within, () -> true, () -> "");
    }

    /**
     * Waits until a lineage that {@code namespace} accepts has published {@code step} or later, while
     * {@code running} holds; returns the latest step seen there.
     *
     * @param context appended to the failure message (a log, say), computed only on failure
     */
    public static long await(WeightStore store, Predicate<String> namespace, long step, Duration within,
                             BooleanSupplier running, Supplier<String> context) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && running.getAsBoolean()) {
            for (String ns : store.namespaces()) {
                OptionalLong latest = store.latest(ns);
                if (namespace.test(ns) && latest.isPresent() && latest.getAsLong() >= step) {
                    return latest.getAsLong();
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new AssertionError("no step " + step + (running.getAsBoolean() ? " within " + within
                : " before the job ended") + "; lineages " + store.namespaces() + "\n" + context.get());
    }

    /** Waits until a lineage other than {@code old} has published a version (a resumed job's); returns it. */
    public static String awaitLineageOtherThan(WeightStore store, String old, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (String ns : store.namespaces()) {
                if (!ns.equals(old) && store.latest(ns).isPresent()) {
                    return ns;
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new AssertionError("no lineage but " + old + " published within " + within);
    }
}
