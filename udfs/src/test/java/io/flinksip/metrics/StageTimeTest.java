package io.flinksip.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.View;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A stage's busy time as Flink's metric registry sees it: a counter and a share of the last minute's wall time. */
class StageTimeTest {
    private static final long SECOND = 1_000_000_000L;

    /** A metric group that keeps what is registered in it, under "group/name". */
    private static final class Recording extends UnregisteredMetricsGroup {
        final Map<String, Object> metrics = new HashMap<>();
        final String prefix;

        Recording(String prefix, Map<String, Object> shared) {
            this.prefix = prefix;
            if (shared != null) {
                metrics.putAll(shared);
            }
        }

        Recording() {
            this("", null);
        }

        private Recording root = this;

        @Override
        public MetricGroup addGroup(String key, String value) {
            Recording child = new Recording(prefix + key + "=" + value + "/", null);
            child.root = root;
            return child;
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            root.metrics.put(prefix + name, counter);
            return counter;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            root.metrics.put(prefix + name, gauge);
            return gauge;
        }
    }

    @Test
    void theShareIsBusyTimeOverWallTimeAcrossTheLastMinute() {
        AtomicLong clock = new AtomicLong(0);
        Recording group = new Recording();
        StageTime time = StageTime.register(group, "rollout", clock::get);
        Counter busy = (Counter) group.metrics.get("stage=rollout/" + StageTime.BUSY_NANOS);
        @SuppressWarnings("unchecked")
        Gauge<Double> share = (Gauge<Double>) group.metrics.get("stage=rollout/" + StageTime.BUSY_SHARE);
        View view = (View) share;

        view.update(); // t = 0
        for (int i = 0; i < 12; i++) { // a minute in which the stage works 3 of every 5 seconds
            long started = time.start();
            clock.addAndGet(3 * SECOND);
            time.since(started);
            clock.addAndGet(2 * SECOND);
            view.update();
        }
        assertEquals(36 * SECOND, busy.getCount(), "the counter holds every measured nanosecond");
        assertEquals(0.6, share.getValue(), 1e-9, "3 s of every 5 s");

        for (int i = 0; i < 12; i++) { // then a minute of idling: the busy minute slides out of the window
            clock.addAndGet(5 * SECOND);
            view.update();
        }
        assertEquals(0.0, share.getValue(), 1e-9, "only the last minute counts");
        assertEquals(36 * SECOND, busy.getCount(), "the counter never falls");
    }

    @Test
    void callsInFlightTogetherCountEachOfTheirTimes() {
        AtomicLong clock = new AtomicLong(0);
        Recording group = new Recording();
        StageTime time = StageTime.register(group, "judge", clock::get);
        @SuppressWarnings("unchecked")
        Gauge<Double> share = (Gauge<Double>) group.metrics.get("stage=judge/" + StageTime.BUSY_SHARE);
        ((View) share).update();
        List<Long> calls = List.of(time.start(), time.start(), time.start(), time.start());
        clock.addAndGet(5 * SECOND);
        calls.forEach(time::since);
        ((View) share).update();
        assertEquals(4.0, share.getValue(), 1e-9, "an async stage's share is the mean number of calls in flight");
    }

    @Test
    void theCounterOnlyGrowsByMeasuredTime() {
        Recording group = new Recording();
        StageTime.register(group, "segment");
        Counter busy = (Counter) group.metrics.get("stage=segment/" + StageTime.BUSY_NANOS);
        assertThrows(UnsupportedOperationException.class, busy::inc);
        assertThrows(UnsupportedOperationException.class, busy::dec);
        StageTime.unregistered().since(StageTime.unregistered().start()); // outside a job: measures, reports nowhere
    }
}
