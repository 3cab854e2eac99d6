package io.flinksip.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.support.FaultyFileSystem;
import io.flinksip.job.support.InjectedFailures;
import io.flinksip.job.support.JobOutputs;
import io.flinksip.job.support.ReferenceMatchBackends;
import io.flinksip.job.support.TestClusters;
import io.flinksip.job.support.TestCorpus;
import io.flinksip.schema.TrainingExample;
import io.flinksip.sync.SyncMode;
import io.flinksip.weights.WeightStore;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.apache.flink.testutils.junit.SharedReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures injected at random points of a run, beside a failure-free control run on the same input: a task crash
 * while processing, a failure inside a checkpoint, and a weight publish torn in the middle of writing the file. In
 * both sync modes every sample is trained in exactly one committed step and the run takes as many steps as the
 * control; in strict mode the final weights are byte-identical to the control's and so is every policy update but
 * its wall-clock time.
 */
class ExactlyOnceTrainingITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.oneTaskManager();

    @RegisterExtension
    final SharedObjectsExtension shared = SharedObjectsExtension.create();

    private static final int DOCUMENTS = 80;
    private static final int MAX_STALENESS = 2;

    static Configuration failureTolerantJob(Path dir, SyncMode sync) {
        Configuration conf = SipJobITCase.tinyJob(dir, SipOptions.Mode.SIP);
        conf.set(SipOptions.SYNC_MODE, sync);
        conf.set(SipOptions.MAX_STALENESS, MAX_STALENESS);
        conf.set(SipOptions.ROLLOUT_PARALLELISM, 2);
        conf.set(SipOptions.QUALITY_WEIGHT, 0.0);
        conf.set(SipOptions.SAFETY_WEIGHT, 0.0);
        conf.set(SipOptions.QUALITY_MODE, io.flinksip.judge.panel.PanelConfig.QualityMode.OFF);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        // Barriers overtake the records queued in front of slow judges (as in production: see checkpoints-config).
        conf.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        return conf;
    }

    private JobOutputs run(Path dir, TestCorpus corpus, SyncMode sync, SipOptions.SipObjective objective,
                           SharedReference<InjectedFailures.Plan> plan) throws Exception {
        Configuration conf = failureTolerantJob(dir, sync);
        conf.set(SipOptions.OBJECTIVE, objective);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        String weights = plan == null ? dir.resolve("weights").toString()
                : FaultyFileSystem.uri(dir.resolve("weights"));
        SipJob.Settings settings = SipJob.Settings.builder(conf).inputPath(corpus.input.toString())
                .tokenizerJson(corpus.tokenizerJson).backends(new ReferenceMatchBackends(0)).weightsDir(weights)
                .exportDir(dir.resolve("export").toString()).outputDir(dir.resolve("out").toString()).build();
        // The control run has the same slow learner as the failing run, without failures.
        SharedReference<InjectedFailures.Plan> pacing = plan != null ? plan
                : shared.add(new InjectedFailures.Plan(Integer.MAX_VALUE, 40));
        SipJob.build(env, settings, examples -> examples
                .map(new InjectedFailures<TrainingExample>(pacing))
                        .returns(TypeInformation.of(TrainingExample.class)).uid("injected-failures"));
        env.execute("exactly-once " + sync);
        return JobOutputs.of(dir);
    }

    @ParameterizedTest(name = "{0} sync, {2}, failure points from seed {1}")
    @CsvSource({"LATEST, 11, DPO", "STRICT, 23, DPO", "STRICT, 37, RF_NLL"})
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everySampleIsTrainedInExactlyOneStepAcrossFailures(SyncMode sync, long seed, SipOptions.SipObjective objective,
                                                            @TempDir Path dir) throws Exception {
        TestCorpus corpus = TestCorpus.create(dir.resolve("corpus"), DOCUMENTS, List.of());
        JobOutputs control = run(dir.resolve("control"), corpus, sync, objective, null);

        Random random = new Random(seed);
        int crashAfter = 3 + random.nextInt(10);
        int tornPublish = 6 + random.nextInt(8);
        String points = "crash after " + crashAfter + " examples, publish " + tornPublish + " torn (seed " + seed + ")";
        SharedReference<InjectedFailures.Plan> plan = shared.add(new InjectedFailures.Plan(crashAfter, 40));
        Path failingDir = dir.resolve("failing");
        FaultyFileSystem.PublishFaults publishes = FaultyFileSystem.tearPublishes(failingDir.resolve("weights"),
                Set.of(tornPublish));
        JobOutputs failing = run(failingDir, corpus, sync, objective, plan);

        assertTrue(plan.get().crashed.get(), "the crash was injected: " + points);
        assertTrue(plan.get().failedInCheckpoint.get(), "the checkpoint failure was injected: " + points);
        assertEquals(1, publishes.torn(), "a publish was torn: " + points);
        assertTrue(plan.get().attempts.get() >= 4, "three failures, four attempts: " + plan.get().attempts.get());
        assertTrue(new WeightStore(failingDir.resolve("weights").toString()).namespaces().stream()
                .noneMatch(ns -> ns.endsWith("-0")), "the final attempt published in its own namespace");

        Set<String> expected = new HashSet<>();
        corpus.ids.forEach(id -> expected.add(id + "#0"));
        for (JobOutputs out : List.of(control, failing)) {
            List<String> trained = out.trainedSamples();
            assertEquals(trained.size(), new HashSet<>(trained).size(), "no sample trained twice: " + points);
            Set<String> accounted = new HashSet<>(trained);
            accounted.addAll(out.deadLetteredSamples());
            assertEquals(expected, accounted, "every sample trained or dead-lettered: " + points);
            for (int i = 0; i < out.updates().size(); i++) {
                JsonNode u = out.updates().get(i);
                assertEquals(i + 1, u.get("step").asLong(), "steps without gap or repeat");
                assertTrue(u.get("maxStaleness").asLong() <= (sync == SyncMode.STRICT ? 1 : MAX_STALENESS),
                        "staleness within the bound: " + u);
            }
        }
        assertEquals(control.updates().size(), failing.updates().size(), "as many steps as the control run");
        if (sync == SyncMode.STRICT) {
            assertEquals(control.updatesWithoutWallClock(), failing.updatesWithoutWallClock(),
                    "the same policy updates as the control run: " + points);
            assertArrayEquals(control.finalWeights(), failing.finalWeights(),
                    "final weights byte-identical to the control run's: " + points);
        }
    }
}
