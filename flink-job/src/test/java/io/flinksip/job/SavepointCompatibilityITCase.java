package io.flinksip.job;

import io.flinksip.job.config.SipOptions;
import io.flinksip.job.support.JobOutputs;
import io.flinksip.job.support.KeywordBackends;
import io.flinksip.job.support.TestClusters;
import io.flinksip.job.support.TestCorpus;
import io.flinksip.sync.SyncMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Savepoints of a released version resume on main, as Flink's own savepoint migration tests check theirs: a savepoint
 * of release 0.2 (tiny model, five steps, taken when its input was done, in both sync modes) is kept under {@code src/test/compat/},
 * with the input, tokenizer and committed outputs it refers to. A change that breaks this test changes what users'
 * savepoints can do: say so in the release notes and ship a migration, then add the new release's baseline.
 *
 * <p>The savepoint's source and sink state hold absolute paths, so the baseline is restored to a fixed directory.
 * Regenerate with {@code mvn -pl flink-job surefire:test -Dtest=SavepointCompatibilityITCase#generate
 * -Dflinksip.compat.generate=true} (after a release, into a new version directory).
 */
class SavepointCompatibilityITCase {
    static final String RELEASE = "0.2";
    /** Trained before the savepoint (five steps of four), the whole input then. */
    private static final int BEFORE = 20;
    /** Arrive while the job is stopped, under other ids. */
    private static final int AFTER = 40;
    private static final Path BASELINES = Path.of("src", "test", "compat");
    /** Fixed: the savepoint holds the absolute paths of the input files and of the in-progress output. */
    private static final Path RESTORE_ROOT = Path.of("/tmp", "flink-sip-compat");

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.oneTaskManager();

    private static Path base(String release, SyncMode mode) {
        return RESTORE_ROOT.resolve(release).resolve(mode.name().toLowerCase());
    }

    /** The job as the release built it: the production graph on a monitored directory (a stop never drains it). */
    private static JobClient start(Path base, SyncMode mode, String savepoint) throws Exception {
        Configuration conf = SipJobITCase.tinyJob(base, SipOptions.Mode.SIP);
        conf.set(SipOptions.SYNC_MODE, mode);
        conf.set(SipOptions.INPUT_MONITOR_INTERVAL, Duration.ofMillis(200));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        SipJob.build(env, SipJob.Settings.builder(conf).inputPath(base.resolve("corpus/input").toString())
                .tokenizerJson(Files.readString(base.resolve("corpus/tokenizer.json"))).backends(new KeywordBackends())
                .weightsDir(base.resolve("weights").toString()).outputDir(base.resolve("out").toString()).build());
        return env.executeAsync("compat " + mode + (savepoint == null ? "" : " resumed"));
    }

    @ParameterizedTest(name = "release {0} savepoint, {1} mode")
    @EnumSource(SyncMode.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aSavepointOfTheReleaseResumesOnMainAndFinishesTheInput(SyncMode mode) throws Exception {
        Path baseline = BASELINES.resolve(RELEASE).resolve(mode.name().toLowerCase());
        assertTrue(Files.isDirectory(baseline), "the baseline is kept in the repository: " + baseline.toAbsolutePath());
        Path base = base(RELEASE, mode);
        copyTree(baseline, base);
        String savepoint = base.resolve(Files.readString(baseline.resolve("savepoint.txt")).strip()).toString();
        JobOutputs before = JobOutputs.of(base);
        long stoppedAt = before.updates().size();
        assertTrue(stoppedAt > 0, "the baseline trained a few steps before its savepoint");

        List<String> later = new ArrayList<>();
        for (String copy : List.of("later-a-", "later-b-")) {
            for (String line : Files.readAllLines(base.resolve("corpus/input/docs.jsonl"))) {
                later.add(line.replace("\"doc-", "\"" + copy));
            }
        }
        Files.write(base.resolve("corpus/input/later-docs.jsonl"), later); // arrived while the job was stopped
        JobClient resumed = start(base, mode, savepoint);
        try {
            awaitAccounted(base, resumed);
        } finally {
            resumed.cancel().get(1, TimeUnit.MINUTES);
        }
        JobOutputs after = JobOutputs.of(base);
        List<Long> steps = new ArrayList<>();
        after.updates().forEach(u -> steps.add(u.get("step").asLong()));
        steps.sort(Comparator.naturalOrder());
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(i + 1, steps.get(i), "steps continue from the savepoint without gap or repeat: " + steps);
        }
        assertTrue(steps.size() > stoppedAt, "the resumed job trained on from step " + stoppedAt);
        List<String> trained = after.trainedSamples();
        assertEquals(trained.size(), new HashSet<>(trained).size(), "no document trained twice across the upgrade");
        assertEquals(BEFORE + AFTER, trained.size() + after.deadLetteredSamples().size(),
                "every document accounted for, before and after the upgrade");
    }

    private static void awaitAccounted(Path base, JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (job.getJobExecutionResult().isDone()) {
                job.getJobExecutionResult().get(); // a savepoint that no longer restores fails here, with the cause
                throw new AssertionError("the resumed job ended before it accounted for every document");
            }
            JobOutputs out = JobOutputs.of(base);
            if (out.trainedSamples().size() + out.deadLetteredSamples().size() >= BEFORE + AFTER) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the resumed job did not account for all " + (BEFORE + AFTER)
                + " documents in 2 minutes");
    }

    /** Writes this release's baseline; run by hand (see the class comment), never in CI. */
    @Test
    @EnabledIfSystemProperty(named = "flinksip.compat.generate", matches = "true")
    void generate() throws Exception {
        for (SyncMode mode : SyncMode.values()) {
            Path base = base(RELEASE, mode);
            deleteTree(base);
            TestCorpus.create(base.resolve("corpus"), BEFORE, List.of());
            JobClient job = start(base, mode, null);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (JobOutputs.of(base).updates().size() < BEFORE / 4 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String savepoint = job.stopWithSavepoint(false, base.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
            Path target = BASELINES.resolve(RELEASE).resolve(mode.name().toLowerCase());
            deleteTree(base.resolve("weights")); // the learner republishes its versions on restore
            deleteTree(target);
            copyTree(base, target);
            Files.writeString(target.resolve("savepoint.txt"),
                    base.relativize(Path.of(java.net.URI.create(savepoint))).toString() + "\n");
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        deleteTree(to);
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
