package io.flinksip.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.support.InjectedFailures;
import io.flinksip.job.support.JobOutputs;
import io.flinksip.job.support.KeywordBackends;
import io.flinksip.job.support.PublishedSteps;
import io.flinksip.job.support.ReferenceMatchBackends;
import io.flinksip.job.support.TestClusters;
import io.flinksip.job.support.TestCorpus;
import io.flinksip.schema.TrainingExample;
import io.flinksip.weights.WeightStore;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.apache.flink.testutils.junit.SharedReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stop with a savepoint mid-run, resume from it: the learner continues at step S+1 from weights bit-identical to those
 * in the savepoint, versions of the stopped job are never served again, and in strict mode the stopped-and-resumed run
 * (resumed with another rollout parallelism) ends exactly where an uninterrupted run ends.
 */
class SavepointResumeITCase {
    private static final Duration WAIT = Duration.ofMinutes(2);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.oneTaskManager();

    @RegisterExtension
    final SharedObjectsExtension shared = SharedObjectsExtension.create();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void strictRunStoppedAndResumedWithAnotherRolloutParallelismMatchesAnUninterruptedOne(@TempDir Path dir)
            throws Exception {
        long steps = 36;
        Path control = dir.resolve("control");
        TestCorpus controlCorpus = TestCorpus.create(control.resolve("corpus"), 80, List.of());
        moreInput(controlCorpus); // an uninterrupted run on both files
        JobClient uninterrupted = startStrict(control, controlCorpus, 1, null);
        PublishedSteps.await(new WeightStore(control.resolve("weights").toString()), steps, WAIT);
        uninterrupted.stopWithSavepoint(false, control.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);

        Path run = dir.resolve("stopped");
        TestCorpus corpus = TestCorpus.create(run.resolve("corpus"), 80, List.of());
        WeightStore store = new WeightStore(run.resolve("weights").toString());
        JobClient first = startStrict(run, corpus, 1, null);
        PublishedSteps.await(store, 5, WAIT);
        String savepoint = first.stopWithSavepoint(false, run.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
        long stoppedAt = JobOutputs.of(run).lastStep();
        String stoppedNamespace = store.namespaces().get(0);
        moreInput(corpus); // the second file arrives while the job is stopped; it sorts after the first
        JobClient second = startStrict(run, corpus, 2, savepoint);
        String resumedNamespace = PublishedSteps.awaitLineageOtherThan(store, stoppedNamespace, WAIT);
        PublishedSteps.await(store, resumedNamespace::equals, steps, WAIT);
        second.stopWithSavepoint(false, run.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);

        JobOutputs expected = JobOutputs.of(control);
        JobOutputs actual = JobOutputs.of(run);
        long common = Math.min(expected.lastStep(), actual.lastStep());
        assertTrue(stoppedAt < common && common >= steps, "stopped at step " + stoppedAt + ", compared up to step "
                + common);
        assertEquals(expected.updatesWithoutWallClock().subList(0, (int) common),
                actual.updatesWithoutWallClock().subList(0, (int) common),
                "the same policy updates as the uninterrupted run (stopped at step " + stoppedAt + ")");
        WeightStore controlStore = new WeightStore(control.resolve("weights").toString());
        String controlNamespace = controlStore.namespaces().get(0);
        assertArrayEquals(Files.readAllBytes(Path.of(controlStore.versionPath(controlNamespace, common), "weights.bin")),
                Files.readAllBytes(Path.of(store.versionPath(resumedNamespace, common), "weights.bin")),
                "weights of version " + common + " byte-identical to the uninterrupted run's");
    }

    /** A second input file, {@code later-docs.jsonl}, with the corpus's documents under other ids. */
    private static void moreInput(TestCorpus corpus) throws Exception {
        List<String> more = new ArrayList<>();
        for (String line : Files.readAllLines(corpus.input.resolve("docs.jsonl"))) {
            more.add(line.replace("\"doc-", "\"later-"));
        }
        Files.write(corpus.input.resolve("later-docs.jsonl"), more);
    }

    /**
     * A strict-mode job on a monitored input directory (so that a stop never finds its source finished), its learner
     * slowed so that it can be stopped mid-run.
     */
    private JobClient startStrict(Path dir, TestCorpus corpus, int rolloutParallelism, String savepoint)
            throws Exception {
        Configuration conf = SipJobITCase.tinyJob(dir, SipOptions.Mode.SIP);
        conf.set(SipOptions.SYNC_MODE, io.flinksip.sync.SyncMode.STRICT);
        conf.set(SipOptions.ROLLOUT_PARALLELISM, rolloutParallelism);
        conf.set(SipOptions.INPUT_MONITOR_INTERVAL, Duration.ofMillis(200));
        conf.set(SipOptions.RETAIN_VERSIONS, 1000);
        conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        SharedReference<InjectedFailures.Plan> slowLearner = shared.add(new InjectedFailures.Plan(Integer.MAX_VALUE,
                40));
        SipJob.build(env, SipJob.Settings.builder(conf).inputPath(corpus.input.toString())
                .tokenizerJson(corpus.tokenizerJson).backends(new KeywordBackends())
                .weightsDir(dir.resolve("weights").toString()).exportDir(dir.resolve("export").toString())
                .outputDir(dir.resolve("out").toString()).build(), examples -> examples
                .map(new InjectedFailures<TrainingExample>(slowLearner))
                .returns(TypeInformation.of(TrainingExample.class)).uid("slow-learner"));
        return env.executeAsync(savepoint == null ? "strict run" : "strict run, resumed");
    }

    @Test
    void resumesAtTheNextStepFromTheSavepointsWeights(@TempDir Path dir) throws Exception {
        TestCorpus corpus = TestCorpus.create(dir, 40, List.of());
        Path weights = dir.resolve("weights");
        WeightStore store = new WeightStore(weights.toString());

        JobClient first = start(dir, corpus, null);
        PublishedSteps.await(store, 3, WAIT);
        String savepoint = first.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
        List<JsonNode> before = updates(dir.resolve("out"));
        long s = before.get(before.size() - 1).get("step").asLong();
        assertEquals(s, before.size(), "committed steps 1..S");
        assertEquals(1, store.namespaces().size(), "one lineage: " + store.namespaces());
        String oldNamespace = store.namespaces().get(0);
        byte[] savedWeights = Files.readAllBytes(Path.of(store.versionPath(oldNamespace, s), "weights.bin"));

        // More input arrives while the job is stopped.
        List<String> more = new ArrayList<>();
        for (String line : Files.readAllLines(corpus.input.resolve("docs.jsonl"))) {
            more.add(line.replace("\"doc-", "\"more-"));
        }
        Files.write(corpus.input.resolve("docs-2.jsonl"), more);

        // Same output directory, as a user resumes the same job: the file sink's restored state names its buckets.
        JobClient second = start(dir, corpus, savepoint);
        String newNamespace = PublishedSteps.awaitLineageOtherThan(store, oldNamespace, WAIT);
        PublishedSteps.await(store, newNamespace::equals, s + 3, WAIT);
        second.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);

        List<JsonNode> all = updates(dir.resolve("out"));
        List<JsonNode> after = all.subList(before.size(), all.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(i + 1, all.get(i).get("step").asLong(), "steps of the first run committed once");
        }
        assertEquals(s + 1, after.get(0).get("step").asLong(), "the learner continues at S+1");
        for (int i = 0; i < after.size(); i++) {
            assertEquals(s + 1 + i, after.get(i).get("step").asLong(), "no gap, no repeat");
        }
        assertFalse(Files.exists(weights.resolve(oldNamespace)), "the stopped job's versions are gone");
        byte[] republished = Files.readAllBytes(Path.of(store.versionPath(newNamespace, s), "weights.bin"));
        assertArrayEquals(savedWeights, republished, "restored weights are bit-identical to the savepoint's");
        for (JsonNode e : TestCorpus.readJsonLines(dir.resolve("out/examples"))) {
            if (!e.get("docId").asText().startsWith("more-")) {
                continue; // examples of the first run
            }
            long version = e.get("policyVersion").asLong();
            assertTrue(version >= s, "rollouts of the resumed job use its own versions: " + version);
        }
    }

    private static JobClient start(Path dir, TestCorpus corpus, String savepoint) throws Exception {
        Configuration conf = SipJobITCase.tinyJob(dir, SipOptions.Mode.SIP);
        conf.set(SipOptions.INPUT_MONITOR_INTERVAL, Duration.ofMillis(200));
        conf.set(SipOptions.QUALITY_WEIGHT, 0.0);
        conf.set(SipOptions.SAFETY_WEIGHT, 0.0);
        conf.set(SipOptions.QUALITY_MODE, io.flinksip.judge.panel.PanelConfig.QualityMode.OFF);
        conf.set(SipOptions.OUTPUT_EXAMPLES, true);
        conf.set(SipOptions.RETAIN_VERSIONS, 1000);
        conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        SipJob.build(env, SipJob.Settings.builder(conf).inputPath(corpus.input.toString())
                .tokenizerJson(corpus.tokenizerJson).backends(new ReferenceMatchBackends(30))
                .weightsDir(dir.resolve("weights").toString()).exportDir(dir.resolve("export").toString())
                .outputDir(dir.resolve("out").toString()).build());
        return env.executeAsync(savepoint == null ? "first run" : "resumed run");
    }

    private static List<JsonNode> updates(Path out) throws Exception {
        List<JsonNode> updates = new ArrayList<>(TestCorpus.readJsonLines(out.resolve("policy-updates")));
        updates.sort(Comparator.comparingLong(u -> u.get("step").asLong()));
        return updates;
    }
}
