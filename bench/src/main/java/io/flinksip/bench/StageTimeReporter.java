package io.flinksip.bench;

import io.flinksip.metrics.StageTime;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects every stage's busy-time counter ({@link StageTime}) of the in-process MiniCluster the bench runs, so that
 * the bench can say where the job's time went once it has finished. Flink creates the reporter from its factory's
 * class name; it keeps the counters it is told of (a finished task's counters keep their final values), and the
 * bench reads them through the static methods: the bench runs one job at a time in this JVM.
 */
public final class StageTimeReporter implements MetricReporter {
    private static final String STAGE_VARIABLE = "<" + StageTime.GROUP + ">";
    private static final List<Map.Entry<String, Counter>> COUNTERS = new CopyOnWriteArrayList<>();

    /** Flink's way in: {@code metrics.reporter.<name>.factory.class} names this class. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new StageTimeReporter();
        }
    }

    /** Forgets the counters of earlier jobs. */
    static void reset() {
        COUNTERS.clear();
    }

    /** Busy nanoseconds per stage, summed over subtasks and attempts, of the jobs since {@link #reset()}. */
    static Map<String, Long> busyNanosByStage() {
        Map<String, Long> byStage = new TreeMap<>();
        for (Map.Entry<String, Counter> c : COUNTERS) {
            byStage.merge(c.getKey(), c.getValue().getCount(), Long::sum);
        }
        return byStage;
    }

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String stage = group.getAllVariables().get(STAGE_VARIABLE);
        if (stage != null && name.equals(StageTime.BUSY_NANOS) && metric instanceof Counter counter) {
            COUNTERS.add(Map.entry(stage, counter));
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // kept: a finished task removes its metrics, and its final count is what the bench reports
    }
}
