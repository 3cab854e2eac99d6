package io.flinksip.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.support.InjectedFailures;
import io.flinksip.job.support.ReferenceMatchBackends;
import io.flinksip.job.support.TestCorpus;
import io.flinksip.schema.TrainingExample;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures injected mid-run (a task crash after n records, then a failure inside a checkpoint): with restarts, every
 * sample is trained in exactly one committed step, and the run takes as many steps as a failure-free one.
 */
class ExactlyOnceTrainingITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final int DOCUMENTS = 60;

    private static List<JsonNode> run(Path dir, TestCorpus corpus, boolean injectFailures)
            throws Exception {
        Configuration conf = SipJobITCase.tinyJob(dir, SipOptions.Mode.SIP);
        conf.set(SipOptions.QUALITY_WEIGHT, 0.0);
        conf.set(SipOptions.SAFETY_WEIGHT, 0.0);
        conf.set(SipOptions.QUALITY_MODE, io.flinksip.judge.panel.PanelConfig.QualityMode.OFF);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        // Barriers overtake the records queued in front of slow judges (as in production: see checkpoints-config).
        conf.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        SipJob.Settings settings = new SipJob.Settings(conf, corpus.input.toString(), corpus.tokenizerJson,
                new ReferenceMatchBackends(0, injectFailures ? 40 : 0), dir.resolve("weights").toString(),
                dir.resolve("export").toString(), dir.resolve("out").toString());
        SipJob.build(env, settings, examples -> injectFailures
                ? examples.map(new InjectedFailures<TrainingExample>(20))
                        .returns(TypeInformation.of(TrainingExample.class)).uid("injected-failures")
                : examples);
        env.execute("exactly-once");
        List<JsonNode> updates = new ArrayList<>(TestCorpus.readJsonLines(dir.resolve("out/policy-updates")));
        updates.sort(java.util.Comparator.comparingLong(u -> u.get("step").asLong())); // part files are unordered
        return updates;
    }

    @Test
    void everySampleIsTrainedInExactlyOneStepAcrossFailures(@TempDir Path dir) throws Exception {
        TestCorpus corpus = TestCorpus.create(dir.resolve("corpus"), DOCUMENTS, List.of());
        List<JsonNode> clean = run(dir.resolve("clean"), corpus, false);

        ReferenceMatchBackends.REWRITES.set(0);
        InjectedFailures.reset();
        List<JsonNode> failed = run(dir.resolve("failing"), corpus, true);
        assertTrue(InjectedFailures.CRASHED.get(), "the crash was injected");
        assertTrue(InjectedFailures.FAILED_IN_CHECKPOINT.get(), "the checkpoint failure was injected");
        assertTrue(ReferenceMatchBackends.REWRITES.get() > DOCUMENTS, "restarts made the job redo rewrites");

        String log = java.nio.file.Files.readString(Path.of("target/test-logs/flink-job-tests.log"));
        assertTrue(java.util.regex.Pattern.compile("learner restored at step [1-9]").matcher(log).find(),
                "a restart restored the learner from a checkpoint taken after some steps:\n" + log.lines()
                        .filter(l -> l.contains("learner")).toList());
        assertTrue(new io.flinksip.weights.WeightStore(dir.resolve("failing/weights").toString()).namespaces()
                .stream().anyMatch(ns -> !ns.endsWith("-0")), "the final attempt published in its own namespace");

        assertEquals(clean.size(), failed.size(), "same number of steps as the failure-free run");
        assertEquals(DOCUMENTS / 4, failed.size());
        for (List<JsonNode> updates : List.of(clean, failed)) {
            List<String> trained = new ArrayList<>();
            for (int i = 0; i < updates.size(); i++) {
                assertEquals(i + 1, updates.get(i).get("step").asLong(), "steps without gap or repeat");
                updates.get(i).get("trainedSamples").forEach(s -> trained.add(s.asText()));
            }
            Set<String> distinct = new HashSet<>(trained);
            assertEquals(trained.size(), distinct.size(), "no sample trained twice");
            Set<String> expected = new HashSet<>();
            corpus.ids.forEach(id -> expected.add(id + "#0"));
            assertEquals(expected, distinct, "every sample trained");
        }
    }
}
