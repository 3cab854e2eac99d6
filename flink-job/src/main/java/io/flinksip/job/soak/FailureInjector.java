package io.flinksip.job.soak;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fails the task that runs it once each time the soak asks (the job restarts from its last checkpoint, as after a lost
 * TaskManager), and counts the attempts. The soak runs the local cluster in its own JVM, so a static flag reaches the
 * task.
 */
final class FailureInjector<T> extends RichMapFunction<T, T> {
    private static final long serialVersionUID = 1L;
    static final AtomicBoolean FAIL_NEXT = new AtomicBoolean();
    static final AtomicInteger OPENED = new AtomicInteger();

    @Override
    public void open(OpenContext context) {
        OPENED.incrementAndGet();
    }

    @Override
    public T map(T value) {
        if (FAIL_NEXT.compareAndSet(true, false)) {
            throw new IllegalStateException("soak: injected task failure");
        }
        return value;
    }
}
