package io.flinksip.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.View;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Where a sample's time goes: the time one stage of the dataflow spends on it, as metrics in the stage's group
 * {@code stage.<name>}. Flink's own {@code busyTimeMsPerSecond} is per task, and with operator chaining one task runs
 * several stages (rollout to reward, say), so it cannot say which of them is the bottleneck; this can.
 *
 * <ul>
 *   <li>{@value #BUSY_NANOS}: a counter of nanoseconds spent in the stage since the task started. Synchronous stages
 *   count the time their own code runs on the task thread; asynchronous stages (rewrite, judge) count the time each
 *   call is in flight, so that counter can grow faster than the clock when calls overlap.</li>
 *   <li>{@value #BUSY_SHARE}: the same over the last minute as a share of wall time. For a synchronous stage it is in
 *   [0, 1], and near 1 means the stage is the one its task waits on; for an asynchronous stage it is the mean number
 *   of calls in flight, and near the stage's capacity means it is full and back-pressures what feeds it.</li>
 * </ul>
 *
 * Thread-safe: asynchronous stages add from the threads that complete their calls.
 */
public final class StageTime {
    public static final String GROUP = "stage";
    public static final String BUSY_NANOS = "stageBusyNanos";
    public static final String BUSY_SHARE = "stageBusyShare";
    /** How far back {@value #BUSY_SHARE} looks. */
    static final int WINDOW_SECONDS = 60;

    private final LongAdder busy = new LongAdder();
    private final LongSupplier clock;

    StageTime(LongSupplier clock) {
        this.clock = clock;
    }

    /** Registers the stage's metrics under {@code group} (an operator's), in a subgroup {@code stage=<name>}. */
    public static StageTime register(MetricGroup group, String stage) {
        return register(group, stage, System::nanoTime);
    }

    static StageTime register(MetricGroup group, String stage, LongSupplier clock) {
        StageTime time = new StageTime(clock);
        MetricGroup g = group.addGroup(GROUP, stage);
        g.counter(BUSY_NANOS, time.new BusyCounter());
        g.gauge(BUSY_SHARE, time.new BusyShare());
        return time;
    }

    /** A stage that measures nothing (operators run outside a job, in benchmarks' plain loops). */
    public static StageTime unregistered() {
        return new StageTime(System::nanoTime);
    }

    /** The clock to pass to {@link #since} when the stage's work ends. */
    public long start() {
        return clock.getAsLong();
    }

    /** Counts the time from {@code started} (a {@link #start()}) to now. */
    public void since(long started) {
        add(clock.getAsLong() - started);
    }

    public void add(long nanos) {
        if (nanos > 0) {
            busy.add(nanos);
        }
    }

    public long busyNanos() {
        return busy.sum();
    }

    /** The counter view: read-only, the stage adds through {@link #add}. */
    private final class BusyCounter implements Counter {
        @Override
        public void inc() {
            throw new UnsupportedOperationException("a stage's busy time grows only by measured time");
        }

        @Override
        public void inc(long n) {
            add(n);
        }

        @Override
        public void dec() {
            throw new UnsupportedOperationException("a stage's busy time never falls");
        }

        @Override
        public void dec(long n) {
            throw new UnsupportedOperationException("a stage's busy time never falls");
        }

        @Override
        public long getCount() {
            return busyNanos();
        }
    }

    /**
     * Busy time over wall time across the last {@link #WINDOW_SECONDS}, kept current by Flink's metric registry,
     * which calls {@link View#update()} every {@value View#UPDATE_INTERVAL_SECONDS} seconds.
     */
    private final class BusyShare implements Gauge<Double>, View {
        private final long[] busyAt = new long[WINDOW_SECONDS / UPDATE_INTERVAL_SECONDS + 1];
        private final long[] clockAt = new long[busyAt.length];
        private int updates;
        private volatile double share;

        @Override
        public synchronized void update() {
            int now = updates % busyAt.length;
            busyAt[now] = busyNanos();
            clockAt[now] = clock.getAsLong();
            int oldest = updates < busyAt.length - 1 ? 0 : (updates + 1) % busyAt.length;
            long wall = clockAt[now] - clockAt[oldest];
            share = wall <= 0 ? 0 : (busyAt[now] - busyAt[oldest]) / (double) wall;
            updates++;
        }

        @Override
        public Double getValue() {
            return share;
        }
    }
}
