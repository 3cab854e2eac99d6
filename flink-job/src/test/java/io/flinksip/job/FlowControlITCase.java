package io.flinksip.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinksip.backend.JudgeBackendFactory;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.support.FailingJudgeBackends;
import io.flinksip.job.support.InjectedFailures;
import io.flinksip.job.support.KeywordBackends;
import io.flinksip.job.support.PublishedSteps;
import io.flinksip.job.support.TestClusters;
import io.flinksip.job.support.TestCorpus;
import io.flinksip.schema.TrainingExample;
import io.flinksip.sync.SyncMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.apache.flink.testutils.junit.SharedReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flow control under pressure: a learner far slower than the rollouts never makes an example stale or drops one, and
 * samples dead-lettered after their rollouts still count for their step, so the job never waits for a step that
 * cannot fill. Every input line is accounted for, as the run command's summary checks.
 */
class FlowControlITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.oneTaskManager();

    @RegisterExtension
    final SharedObjectsExtension shared = SharedObjectsExtension.create();

    private static final List<String> HOSTILE = List.of("{not json", "", "{\"id\": \"no-text\"}",
            "{\"id\": \"short\", \"text\": \"Hi.\"}", "   ");

    private RunAccounting run(Path dir, Configuration conf, JudgeBackendFactory judges, long learnerMillisPerExample)
            throws Exception {
        TestCorpus corpus = TestCorpus.create(dir.resolve("corpus"), 64, HOSTILE);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        SharedReference<InjectedFailures.Plan> slowLearner = shared.add(
                new InjectedFailures.Plan(Integer.MAX_VALUE, learnerMillisPerExample));
        SipJob.build(env, SipJob.Settings.builder(conf).inputPath(corpus.input.toString())
                .tokenizerJson(corpus.tokenizerJson).backends(judges).weightsDir(dir.resolve("weights").toString())
                .outputDir(dir.resolve("out").toString()).build(), examples -> examples
                .map(new InjectedFailures<TrainingExample>(slowLearner))
                .returns(TypeInformation.of(TrainingExample.class)).uid("slow-learner"));
        env.execute("flow control");
        return RunAccounting.of(InputCensus.of(corpus.input, conf.get(SipOptions.INPUT_MAX_LINE_BYTES)).orElseThrow(),
                dir.resolve("out"));
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aSlowLearnerBehindFastRolloutsNeverGetsAStaleExampleAndNothingIsLost(@TempDir Path dir) throws Exception {
        Configuration conf = SipJobITCase.tinyJob(dir, SipOptions.Mode.SIP);
        conf.set(SipOptions.MAX_STALENESS, 1);
        conf.set(SipOptions.ROLLOUT_PARALLELISM, 2);
        RunAccounting accounting = run(dir, conf, new KeywordBackends(), 60);

        assertTrue(accounting.holdsForFinishedRun(), String.join("\n", accounting.describe(true)));
        assertEquals(64 + HOSTILE.size(), accounting.lines());
        assertEquals(0L, accounting.deadLetters().get("stale"), "no example dropped as stale");
        List<JsonNode> updates = TestCorpus.readJsonLines(dir.resolve("out/policy-updates"));
        assertTrue(updates.size() >= 16, "steps: " + updates.size());
        for (JsonNode u : updates) {
            assertTrue(u.get("maxStaleness").asLong() <= 1, "staleness within the bound of 1: " + u);
            assertEquals(0, u.get("droppedStale").asLong(), u.toString());
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aQuietInputDoesNotHoldBackItsLastPartlyFilledStep(@TempDir Path dir) throws Exception {
        TestCorpus corpus = TestCorpus.create(dir.resolve("corpus"), 10, List.of());
        Configuration conf = SipJobITCase.tinyJob(dir, SipOptions.Mode.SIP);
        conf.set(SipOptions.INPUT_MONITOR_INTERVAL, java.time.Duration.ofMillis(200)); // a job that never ends
        conf.set(SipOptions.SYNC_IDLE_CLOSE, java.time.Duration.ofMillis(500));
        conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL,
                java.time.Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        SipJob.build(env, SipJob.Settings.builder(conf).inputPath(corpus.input.toString())
                .tokenizerJson(corpus.tokenizerJson).backends(new KeywordBackends())
                .weightsDir(dir.resolve("weights").toString()).outputDir(dir.resolve("out").toString()).build());
        var job = env.executeAsync("quiet input");
        // 10 documents, 4 per step: the third step comes only if the quiet input's last window is flushed
        PublishedSteps.await(new io.flinksip.weights.WeightStore(dir.resolve("weights").toString()), 3,
                java.time.Duration.ofMinutes(2));
        job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                org.apache.flink.core.execution.SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);

        RunAccounting accounting = RunAccounting.of(InputCensus.of(corpus.input, 4 << 20).orElseThrow(),
                dir.resolve("out"));
        assertTrue(accounting.holdsForFinishedRun(), String.join("\n", accounting.describe(true)));
        List<JsonNode> updates = TestCorpus.readJsonLines(dir.resolve("out/policy-updates"));
        JsonNode last = updates.stream().max(java.util.Comparator.comparingLong(u -> u.get("step").asLong()))
                .orElseThrow();
        assertEquals(3, last.get("step").asLong());
        assertEquals("[\"0/10-12\"]", last.get("skippedPositions").toString(),
                "the last window closed with samples 8 and 9 once the input had been quiet");
    }

    @ParameterizedTest(name = "{0} sync")
    @EnumSource(SyncMode.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void samplesDeadLetteredAfterTheirRolloutsStillCompleteTheirStep(SyncMode sync, @TempDir Path dir)
            throws Exception {
        Configuration conf = SipJobITCase.tinyJob(dir, SipOptions.Mode.SIP);
        conf.set(SipOptions.SYNC_MODE, sync);
        conf.set(SipOptions.MAX_STALENESS, 0); // latest: window w waits for version w, the tightest flow control
        conf.set(SipOptions.SYNC_LAG, 0);
        conf.set(SipOptions.QUALITY_WEIGHT, 0.0);
        conf.set(SipOptions.SAFETY_WEIGHT, 0.0);
        conf.set(SipOptions.QUALITY_MODE, io.flinksip.judge.panel.PanelConfig.QualityMode.OFF);
        // Three samples in four fail judging: most steps could never collect their examples if dead letters did not
        // count for them, and the job would wait forever (the @Timeout would end it).
        RunAccounting accounting = run(dir, conf, new FailingJudgeBackends(4), 0);

        assertTrue(accounting.holdsForFinishedRun(), String.join("\n", accounting.describe(true)));
        assertTrue(accounting.deadLetters().getOrDefault("judge_unavailable", 0L) > 32,
                "most samples failed judging: " + accounting.deadLetters());
        assertTrue(accounting.trained() > 0, "the rest were trained: " + accounting.trained());
        List<JsonNode> updates = TestCorpus.readJsonLines(dir.resolve("out/policy-updates"));
        assertEquals(16, updates.size(), "64 samples, 4 per step: every step closed, empty ones included");
        assertTrue(updates.stream().anyMatch(u -> u.get("examples").asInt() == 0),
                "a step whose samples were all dead-lettered still advanced the version");
    }
}
