package io.flinksip.job;

import io.flinksip.job.cli.FlinkSipCli;
import io.flinksip.job.support.JobOutputs;
import io.flinksip.job.support.TestCorpus;
import io.flinksip.weights.WeightStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole {@code run} process killed with SIGKILL in the middle of a strict-mode run, then {@code run --resume
 * latest}: the resumed run ends with the weights and policy updates of a run that was never interrupted.
 */
class KillAndResumeITCase {
    private static final int DOCUMENTS = 160;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aRunKilledWithSigkillAndResumedFromItsLatestCheckpointEndsBitIdentical(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        TestCorpus corpus = TestCorpus.create(dir.resolve("corpus"), DOCUMENTS, List.of());
        Path tokenizer = dir.resolve("corpus/tokenizer.json");

        Path control = dir.resolve("control");
        Process uninterrupted = run(control, corpus, tokenizer, null);
        assertEquals(0, waitFor(uninterrupted, control), "the uninterrupted run exits 0");

        Path killed = dir.resolve("killed");
        Process victim = run(killed, corpus, tokenizer, null);
        long killedAt = waitForCheckpointAndStep(victim, killed, 8);
        victim.destroyForcibly(); // SIGKILL: no savepoint, no clean shutdown
        victim.waitFor(30, TimeUnit.SECONDS);
        JobOutputs beforeKill = JobOutputs.ofWorkDir(killed.resolve("work"));
        Process resumed = run(killed, corpus, tokenizer, "latest");
        assertEquals(0, waitFor(resumed, killed), "the resumed run exits 0: every input accounted for");

        JobOutputs expected = JobOutputs.ofWorkDir(control.resolve("work"));
        JobOutputs actual = JobOutputs.ofWorkDir(killed.resolve("work"));
        assertTrue(beforeKill.lastStep() < expected.lastStep(), "killed mid-run (at step " + killedAt
                + ", committed " + beforeKill.lastStep() + ")");
        assertEquals(expected.updatesWithoutWallClock(), actual.updatesWithoutWallClock(),
                "the same policy updates as the uninterrupted run");
        assertArrayEquals(expected.finalWeights(), actual.finalWeights(),
                "final weights byte-identical to the uninterrupted run's");
        assertTrue(Files.readString(killed.resolve("run-2.log")).contains("resuming    from"),
                "the second run resumed from a retained checkpoint");
    }

    /** {@code flink-sip run} in a process of its own, on the test classpath, in strict mode with a tiny model. */
    private static Process run(Path dir, TestCorpus corpus, Path tokenizer, String resume) throws IOException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dai.djl") || arg.startsWith("-DDJL_CACHE_DIR")) {
                cmd.add(arg);
            }
        }
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("ai.djl") || k.toString().equals("DJL_CACHE_DIR")) {
                cmd.add("-D" + k + "=" + v);
            }
        });
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FlinkSipCli.class.getName(), "run",
                "--input", corpus.input.toString(), "--work", dir.resolve("work").toString()));
        for (String option : List.of("sip.tokenizer.path=" + tokenizer, "sip.sync.mode=STRICT",
                "sip.segment.suffix-tokens=12", "sip.segment.max-prefix-tokens=32", "sip.segment.min-prefix-tokens=8",
                "sip.rollout.count=2", "sip.learner.examples-per-step=4", "sip.model.hidden-size=32",
                "sip.model.intermediate-size=64", "sip.model.layers=1", "sip.model.heads=2",
                "sip.learner.learning-rate=0.003", "sip.learner.warmup-steps=2", "sip.learner.export-every=10",
                "execution.checkpointing.interval=300 ms")) {
            cmd.add("-D" + option);
        }
        if (resume != null) {
            cmd.addAll(List.of("--resume", resume));
        }
        int n = resume == null ? 1 : 2;
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("run-" + n + ".log").toFile()).start();
    }

    private static int waitFor(Process p, Path dir) throws Exception {
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the run did not end in 3 minutes; its log is in " + dir);
        }
        return p.exitValue();
    }

    /** Waits until a checkpoint was retained and the learner has published {@code step}; returns the step seen. */
    private static long waitForCheckpointAndStep(Process p, Path dir, long step) throws Exception {
        WeightStore store = new WeightStore(dir.resolve("work/weights").toString());
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && p.isAlive()) {
            long latest = store.namespaces().stream().map(store::latest).filter(OptionalLong::isPresent)
                    .mapToLong(OptionalLong::getAsLong).max().orElse(-1);
            if (latest >= step && hasRetainedCheckpoint(dir.resolve("work/checkpoints"))) {
                return latest;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no checkpoint and step " + step + " before the run ended; log in " + dir);
    }

    private static boolean hasRetainedCheckpoint(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (var s = Files.walk(checkpoints, 3)) {
            return s.anyMatch(p -> p.getFileName().toString().equals("_metadata"));
        }
    }
}
