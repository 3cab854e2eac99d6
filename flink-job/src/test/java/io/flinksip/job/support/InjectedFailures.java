package io.flinksip.job.support;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pass-through that injects two failures, once each per JVM: a crash while processing, after at least one checkpoint
 * completed and {@code crashAfter} records were seen (so the restart restores real state); then, in the restarted
 * attempt, a failure inside the first snapshot after it has seen a record.
 */
public final class InjectedFailures<T> implements MapFunction<T, T>, CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;
    public static final AtomicBoolean CRASHED = new AtomicBoolean();
    public static final AtomicBoolean FAILED_IN_CHECKPOINT = new AtomicBoolean();

    private final int crashAfter;
    private transient int seen;
    private transient int completedCheckpoints;

    public InjectedFailures(int crashAfter) {
        this.crashAfter = crashAfter;
    }

    public static void reset() {
        CRASHED.set(false);
        FAILED_IN_CHECKPOINT.set(false);
    }

    @Override
    public T map(T value) {
        seen++;
        if (completedCheckpoints > 0 && seen >= crashAfter && CRASHED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected crash after " + seen + " records");
        }
        return value;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        if (CRASHED.get() && seen > 0 && FAILED_IN_CHECKPOINT.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure inside checkpoint " + context.getCheckpointId());
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        completedCheckpoints++;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
    }
}
