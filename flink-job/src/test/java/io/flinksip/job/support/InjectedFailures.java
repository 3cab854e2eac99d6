package io.flinksip.job.support;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.testutils.junit.SharedReference;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pass-through that injects two failures, once each per plan: a crash while processing, once {@code crashAfter}
 * records went through after a checkpoint of the current attempt completed (so the restart restores real state);
 * then, in a later attempt, a failure inside the first snapshot taken after it has seen a record. The plan is shared
 * with the test through Flink's {@link SharedReference}, so every attempt of the job sees the same one.
 */
public final class InjectedFailures<T> implements MapFunction<T, T>, CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;

    /** What is to fail, and what did. */
    public static final class Plan implements Serializable {
        private static final long serialVersionUID = 1L;
        final int crashAfter;
        final long pacingMillis;
        public final AtomicBoolean crashed = new AtomicBoolean();
        public final AtomicBoolean failedInCheckpoint = new AtomicBoolean();
        public final AtomicInteger attempts = new AtomicInteger();

        /** Crashes after {@code crashAfter} records; no pacing. */
        public Plan(int crashAfter) {
            this(crashAfter, 0);
        }

        /**
         * @param pacingMillis every record is held this long, a learner slower than the rest of the pipeline, so that
         *     the run lasts long enough for checkpoints to complete between the failures
         */
        public Plan(int crashAfter, long pacingMillis) {
            this.crashAfter = crashAfter;
            this.pacingMillis = pacingMillis;
        }
    }

    private final SharedReference<Plan> plan;
    private transient int seen;
    private transient int seenSinceACheckpoint;
    private transient int completedCheckpoints;

    public InjectedFailures(SharedReference<Plan> plan) {
        this.plan = plan;
    }

    @Override
    public T map(T value) throws InterruptedException {
        seen++;
        if (plan.get().pacingMillis > 0) {
            Thread.sleep(plan.get().pacingMillis);
        }
        if (completedCheckpoints > 0) {
            seenSinceACheckpoint++;
        }
        Plan p = plan.get();
        if (seenSinceACheckpoint >= p.crashAfter && p.crashed.compareAndSet(false, true)) {
            throw new IllegalStateException("injected crash after " + seen + " records");
        }
        return value;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        Plan p = plan.get();
        if (p.crashed.get() && seen > 0 && p.failedInCheckpoint.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure inside checkpoint " + context.getCheckpointId());
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        completedCheckpoints++;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        plan.get().attempts.incrementAndGet();
    }
}
