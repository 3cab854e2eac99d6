package io.flinksip.learn;

import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.util.concurrent.FutureUtils;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The learner's keyed-state snapshot, finished only once the state files it references are written: Flink runs it in
 * the checkpoint's asynchronous phase, so a checkpoint never completes with a reference to files that are not there.
 * When the files fail, the keyed snapshot already taken is discarded and the checkpoint fails (the job goes on within
 * its tolerable checkpoint failures, as with any checkpoint storage error).
 */
final class StateWriteAwaitingFuture implements RunnableFuture<SnapshotResult<KeyedStateHandle>> {
    private final RunnableFuture<SnapshotResult<KeyedStateHandle>> keyed;
    private final FutureTask<SnapshotResult<KeyedStateHandle>> task;

    StateWriteAwaitingFuture(RunnableFuture<SnapshotResult<KeyedStateHandle>> keyed, Future<?> stateFiles) {
        this.keyed = keyed;
        this.task = new FutureTask<>(() -> {
            SnapshotResult<KeyedStateHandle> result = FutureUtils.runIfNotDoneAndGet(keyed);
            try {
                stateFiles.get();
            } catch (ExecutionException e) {
                if (result != null) {
                    result.discardState();
                }
                throw new java.io.IOException("the learner's state files could not be written", e.getCause());
            }
            return result;
        });
    }

    @Override
    public void run() {
        task.run();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        keyed.cancel(mayInterruptIfRunning);
        return task.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
        return task.isCancelled();
    }

    @Override
    public boolean isDone() {
        return task.isDone();
    }

    @Override
    public SnapshotResult<KeyedStateHandle> get() throws InterruptedException, ExecutionException {
        return task.get();
    }

    @Override
    public SnapshotResult<KeyedStateHandle> get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return task.get(timeout, unit);
    }
}
