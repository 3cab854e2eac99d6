package io.flinksip.job;

import io.flinksip.job.support.FaultyFileSystem;
import io.flinksip.job.support.InjectedFailures;
import io.flinksip.job.support.JobOutputs;
import io.flinksip.job.support.ReferenceMatchBackends;
import io.flinksip.job.support.TestClusters;
import io.flinksip.job.support.TestCorpus;
import io.flinksip.schema.TrainingExample;
import io.flinksip.sync.SyncMode;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkpoint storage refuses writes for a while (permissions changed, a disk full): checkpoints fail, the job keeps
 * training within its tolerable-failure budget without a restart, checkpoints complete again once the storage is
 * back, and every document is trained exactly once. A run without the outage is the control.
 */
class CheckpointStorageOutageITCase {
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();
    private static final int DOCUMENTS = 120;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.oneTaskManager(METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    final SharedObjectsExtension shared = SharedObjectsExtension.create();

    @ParameterizedTest(name = "outage {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void checkpointsFailDuringTheOutageAndResumeAfterItWithNothingLost(boolean outage, @TempDir Path dir)
            throws Exception {
        TestCorpus corpus = TestCorpus.create(dir.resolve("corpus"), DOCUMENTS, List.of());
        Path checkpoints = dir.resolve("checkpoints");
        Configuration conf = ExactlyOnceTrainingITCase.failureTolerantJob(dir, SyncMode.LATEST);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, FaultyFileSystem.uri(checkpoints));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, java.time.Duration.ofMillis(200));
        conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 20);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        SipJob.build(env, SipJob.Settings.builder(conf).inputPath(corpus.input.toString())
                .tokenizerJson(corpus.tokenizerJson).backends(new ReferenceMatchBackends(0))
                .weightsDir(dir.resolve("weights").toString()).outputDir(dir.resolve("out").toString())
                .build(), examples -> examples
                .map(new InjectedFailures<TrainingExample>(shared.add(new InjectedFailures.Plan(Integer.MAX_VALUE,
                        30)))).returns(TypeInformation.of(TrainingExample.class)).uid("pacing"));
        JobClient job = env.executeAsync("checkpoint storage outage " + outage);
        JobID id = job.getJobID();
        // A window in the middle of the job: the storage refuses writes during it, or (control) nothing happens.
        // Checkpoints declined while the bounded job winds down at its end are outside it.
        long failedBefore;
        long failedInWindow;
        long completedBefore;
        try {
            await(() -> jobMetric(id, "numberOfCompletedCheckpoints") >= 1);
            failedBefore = jobMetric(id, "numberOfFailedCheckpoints");
            completedBefore = jobMetric(id, "numberOfCompletedCheckpoints");
            if (outage) {
                FaultyFileSystem.unwritable(checkpoints, true);
                await(() -> jobMetric(id, "numberOfFailedCheckpoints") >= failedBefore + 3);
            } else {
                Thread.sleep(1_500);
            }
            failedInWindow = jobMetric(id, "numberOfFailedCheckpoints") - failedBefore;
        } finally {
            FaultyFileSystem.unwritable(checkpoints, false);
        }
        long completedAtWindowEnd = jobMetric(id, "numberOfCompletedCheckpoints");
        await(() -> jobMetric(id, "numberOfCompletedCheckpoints") > completedAtWindowEnd
                || job.getJobExecutionResult().isDone());
        long completedAfter = jobMetric(id, "numberOfCompletedCheckpoints");
        boolean stillRunning = !job.getJobExecutionResult().isDone();
        job.getJobExecutionResult().get(2, TimeUnit.MINUTES);

        assertEquals(0, jobMetric(id, "numRestarts"), "the job kept running: no restart");
        assertTrue(stillRunning, "the job outlived the window (the pacing keeps it running for seconds)");
        if (outage) {
            assertTrue(failedInWindow >= 3, "checkpoints failed while the storage refused writes: " + failedInWindow);
        } else {
            assertEquals(0, failedInWindow, "the control run fails no checkpoint in the same window");
        }
        assertTrue(completedAfter > completedAtWindowEnd && completedAfter > completedBefore,
                "checkpoints complete after the window: " + completedBefore + " before, " + completedAfter + " after");
        JobOutputs out = JobOutputs.of(dir);
        List<String> trained = out.trainedSamples();
        assertEquals(trained.size(), new HashSet<>(trained).size(), "no sample trained twice");
        assertEquals(DOCUMENTS, trained.size() + out.deadLetteredSamples().size(), "every document accounted for");
    }

    /** Waits for the condition, at most two minutes (the test's timeout reports a hang). */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** A job-level metric of the JobManager (checkpoint counts, restarts), or 0 before it is registered. */
    private static long jobMetric(JobID job, String name) {
        for (Map.Entry<org.apache.flink.metrics.MetricGroup, Map<String, Metric>> g
                : METRICS.getMetricsByGroup().entrySet()) {
            Metric m = g.getValue().get(name);
            if (m instanceof Gauge<?> gauge && g.getKey().getAllVariables().containsValue(job.toString())
                    && gauge.getValue() instanceof Number n) {
                return n.longValue();
            }
        }
        return 0;
    }
}
