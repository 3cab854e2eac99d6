package io.flinksip.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.job.support.FlinkSipProcess;
import io.flinksip.job.support.KafkaBrokerProcess;
import io.flinksip.job.support.PublishedSteps;
import io.flinksip.job.support.TestCorpus;
import io.flinksip.weights.WeightStore;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker killed with SIGKILL in the middle of a run and started again on the same log directory: open
 * transactions are aborted, the job fails over and replays from its last checkpoint, and a read_committed reader sees
 * every step once and every document trained once.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KafkaBrokerCrashITCase {
    private static final int DOCUMENTS = 400;
    private static final int PER_STEP = 4;

    /**
     * Down for less than the transaction timeout (the default, 15 min), the job waits for the broker and goes on:
     * nothing lost. Down for longer than a (deliberately short) timeout, the restarted broker aborts what was open;
     * a transaction whose checkpoint had completed is then lost from the topic, which Flink only logs: the run must
     * name exactly those steps and fail, and still duplicate nothing.
     */
    @ParameterizedTest(name = "transaction timeout {0}, broker down {1} s before its restart")
    @CsvSource({"15min, 10, false", "8s, 20, true"})
    void aBrokerKilledMidRunAndRestartedLosesNothingOrSaysSo(String transactionTimeout, int downSeconds,
                                                             boolean mayLose, @TempDir Path dir) throws Exception {
        Path log = dir.resolve("commands.log");
        try (KafkaBrokerProcess kafka = new KafkaBrokerProcess(dir.resolve("kafka"), "plaintext", log)) {
            kafka.start();
            kafka.createTopic("documents", 2);
            kafka.createTopic("updates", 1);
            TestCorpus corpus = TestCorpus.create(dir, DOCUMENTS, List.of());
            assertEquals(0, FlinkSipProcess.run(log, 120, "produce", "--bootstrap", kafka.bootstrap(), "--topic",
                    "documents", "--input", corpus.input.resolve("docs.jsonl").toString()), Files.readString(log));

            Path weights = dir.resolve("work").resolve("weights");
            Path jobLog = dir.resolve("job.log");
            // A slowed learner keeps the run going while the broker is down and comes back.
            Process job = FlinkSipProcess.start(jobLog, "run", "--mode", "ntp", "--work",
                    dir.resolve("work").toString(), "-Dsip.kafka.bootstrap-servers=" + kafka.bootstrap(),
                    "-Dsip.kafka.input.topics=documents", "-Dsip.kafka.input.bounded=true",
                    "-Dsip.kafka.output.policy-updates-topic=updates",
                    "-Dsip.tokenizer.path=" + dir.resolve("tokenizer.json"), "-Dsip.segment.suffix-tokens=12",
                    "-Dsip.segment.max-prefix-tokens=32", "-Dsip.segment.min-prefix-tokens=8",
                    "-Dsip.learner.examples-per-step=" + PER_STEP, "-Dsip.model.hidden-size=32",
                    "-Dsip.model.intermediate-size=64", "-Dsip.model.layers=1", "-Dsip.model.heads=2",
                    "-Dexecution.checkpointing.interval=500ms", "-Dsip.kafka.output.transaction-timeout=" + transactionTimeout);
            WeightStore store = new WeightStore(weights.toString());
            long atKill = PublishedSteps.await(store, ns -> true, 15, Duration.ofMinutes(3), job::isAlive,
                    () -> readQuietly(jobLog));
            kafka.killHard();
            Thread.sleep(downSeconds * 1000L);
            kafka.start();
            assertTrue(job.waitFor(5, TimeUnit.MINUTES), "the run finished after the broker came back\n"
                    + Files.readString(jobLog));
            String output = Files.readString(jobLog);
            assertTrue(atKill < DOCUMENTS / PER_STEP, "the broker died mid-run (at step " + atKill + ")");

            // The run's own audit read the topic before the test does: its verdict is checked against this read.
            Process tail = FlinkSipProcess.start(dir.resolve("tail.out"), "tail", "--bootstrap", kafka.bootstrap(),
                    "--topic", "updates", "--limit", String.valueOf(DOCUMENTS / PER_STEP), "--seconds", "60");
            assertTrue(tail.waitFor(90, TimeUnit.SECONDS) && tail.exitValue() == 0);
            List<Long> steps = new ArrayList<>();
            List<String> trained = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("tail.out"))) {
                if (line.startsWith("{")) {
                    JsonNode u = new ObjectMapper().readTree(line);
                    steps.add(u.get("step").asLong());
                    u.get("trainedSamples").forEach(t -> trained.add(documentOf(t.asText())));
                }
            }
            steps.sort(null);
            assertEquals(steps.size(), new HashSet<>(steps).size(), "read_committed: no step twice " + steps);
            assertEquals(trained.size(), new HashSet<>(trained).size(), "no document trained twice");
            List<Long> lost = new ArrayList<>();
            for (long s = 1; s <= DOCUMENTS / PER_STEP; s++) {
                if (!steps.contains(s)) {
                    lost.add(s);
                }
            }
            System.out.printf("broker crash drill: transaction timeout %s, down %d s, killed at step %d, lost %s%n",
                    transactionTimeout, downSeconds, atKill, lost);
            if (lost.isEmpty()) {
                assertEquals(0, job.exitValue(), output);
                assertTrue(output.contains("all " + DOCUMENTS / PER_STEP + " policy updates committed in topic "
                        + "updates"), output);
                assertEquals(new HashSet<>(corpus.ids), new HashSet<>(trained), "every document trained");
            } else {
                assertTrue(mayLose, "lost steps " + lost + " although the broker was down for less than the "
                        + "transaction timeout\n" + output);
                assertEquals(3, job.exitValue(), "a run that lost Kafka output must not succeed\n" + output);
                assertTrue(output.contains("LOST: " + lost.size() + " of " + DOCUMENTS / PER_STEP
                        + " policy updates are not in topic updates (steps " + lost + ")"), output);
            }
        }
    }

    /** A sample id is the document id and the sample's index in it ({@code doc-7#0}). */
    private static String documentOf(String sample) {
        return sample.substring(0, sample.lastIndexOf('#'));
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(job log unreadable: " + e + ")";
        }
    }
}
