package io.flinksip.learn;

import io.flinksip.model.LlamaConfig;
import io.flinksip.model.TestModels;
import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.Objective;
import io.flinksip.schema.TrainingExample;
import io.flinksip.sync.Accounting;
import io.flinksip.sync.StepWindows;
import io.flinksip.weights.WeightStore;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The learner's checkpoints by reference ({@code sip.learner.state-by-reference}), in Flink's operator harness:
 * checkpoints hold file references, restores are bit-identical, the frozen DPO reference is written once, files no
 * retained checkpoint needs are deleted, a damaged file fails the restore by name, and savepoints stand alone; in
 * strict sync, the previous versions a restore republishes are version files too.
 */
class LearnerStateByReferenceTest {
    private static final LlamaConfig MODEL = TestModels.small();
    private static final int WINDOW = 2;

    private static LearnerConfig config(Path dir, boolean byReference, int retained) {
        return config(dir, byReference, retained, 0);
    }

    /** @param lag strict sync's lag: how many previous versions a restore republishes (0: latest sync) */
    private static LearnerConfig config(Path dir, boolean byReference, int retained, int lag) {
        TrainerConfig trainer = new TrainerConfig(OptimizerConfig.defaults(1e-3, 1, 100), DpoConfig.defaults());
        return new LearnerConfig(Objective.DPO, new StepWindows(1, WINDOW), 100, MODEL, 3, null, trainer,
                new Publishing(dir.resolve("weights").toString(), 100, lag), Exporting.none(), 1 << 16, null,
                byReference, retained);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<Integer, TrainingExample, Accounting,
            io.flinksip.schema.PolicyUpdate> harness(LearnerConfig config) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(new LearnerOperator(config), e -> LearnerOperator.KEY,
                d -> LearnerOperator.KEY, TypeInformation.of(Integer.class));
    }

    private static TrainingExample example(long seq) {
        String doc = "doc" + seq;
        Candidate chosen = Candidate.newBuilder().setDocId(doc).setSampleIndex(0).setKind(CandidateKind.ROLLOUT)
                .setTokens(List.of(5, 6, (int) (7 + seq % 5))).setText("x").setPolicyVersion(0).build();
        Candidate rejected = Candidate.newBuilder(chosen).setTokens(List.of(9, 9)).build();
        return TrainingExample.newBuilder().setDocId(doc).setSampleIndex(0).setObjective(Objective.DPO)
                .setPrefixTokens(List.of(1, 2, 3)).setChosen(chosen).setRejected(rejected).setChosenScore(2.0)
                .setRejectedScore(0.5).setPolicyVersion(0).setJudgeIds(List.of("j")).setEventTimeMillis(10)
                .setShard(0).setSeq(seq).setWindow(seq / WINDOW).build();
    }

    /** Feeds samples {@code from} (inclusive) to {@code to} (exclusive): one step per two. */
    private static void feed(KeyedTwoInputStreamOperatorTestHarness<Integer, TrainingExample, Accounting,
            io.flinksip.schema.PolicyUpdate> h, long from, long to) throws Exception {
        for (long seq = from; seq < to; seq++) {
            h.processElement1(example(seq), seq);
        }
    }

    /** A control run without checkpoints over samples 0 to {@code samples}; returns its directory. */
    private static Path uninterrupted(Path dir, long samples) throws Exception {
        return uninterrupted(dir, samples, 0);
    }

    /** The control run in strict sync with lag {@code lag} (0: latest sync). */
    private static Path uninterrupted(Path dir, long samples, int lag) throws Exception {
        try (var h = harness(config(dir, true, 1, lag))) {
            h.open();
            feed(h, 0, samples);
        }
        return dir;
    }

    private static Path stateRoot(Path dir, KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ?> h) {
        return Path.of(new WeightStore(dir.resolve("weights").toString())
                .learnerStateRoot(h.getEnvironment().getJobID().toString()));
    }

    private static Set<String> stateDirs(Path root) throws Exception {
        if (!Files.isDirectory(root)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The state directories once they are {@code expected}, or after 10 s: deleting is the cleaner thread's. */
    private static Set<String> awaitDirs(Path root, Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Set<String> dirs = stateDirs(root);
        while (!dirs.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            dirs = stateDirs(root);
        }
        return dirs;
    }

    private static byte[] published(Path dir, long version) throws Exception {
        WeightStore store = new WeightStore(dir.resolve("weights").toString());
        return Files.readAllBytes(Path.of(store.versionPath(store.namespaces().get(0), version), "weights.bin"));
    }

    @Test
    void aCheckpointHoldsReferencesAndARestoreFromThemIsBitIdenticalToAnUninterruptedRun(@TempDir Path dir)
            throws Exception {
        Path control = uninterrupted(dir.resolve("control"), 8);
        Path inline = dir.resolve("inline");
        long inlineSize;
        try (var h = harness(config(inline, false, 1))) {
            h.open();
            feed(h, 0, 4);
            inlineSize = h.snapshot(1, 1).getStateSize();
        }

        Path run = dir.resolve("run");
        OperatorSubtaskState snapshot;
        try (var h = harness(config(run, true, 1))) {
            h.open();
            feed(h, 0, 4);
            snapshot = h.snapshot(1, 1);
            assertTrue(snapshot.getStateSize() * 20 < inlineSize, "the checkpoint holds references, not the arrays: "
                    + snapshot.getStateSize() + " bytes against " + inlineSize + " inline");
            assertEquals(Set.of("reference-1", "trainer-1"), stateDirs(stateRoot(run, h)));
            feed(h, 4, 6); // a step after the checkpoint: the files keep the state as it was at the barrier
        }
        try (var h = harness(config(run, true, 1))) {
            h.initializeState(snapshot);
            h.open();
            feed(h, 4, 8);
        }
        assertArrayEquals(published(control, 4), published(run, 4),
                "restored from the files, the run reaches version 4 byte for byte as the uninterrupted one");
    }

    @Test
    void theFrozenReferenceIsWrittenOnceAndStateWithoutAStepIsNotWrittenAgain(@TempDir Path dir) throws Exception {
        try (var h = harness(config(dir, true, 3))) {
            h.open();
            feed(h, 0, 2);
            h.snapshot(1, 1);
            h.snapshot(2, 2); // no step since checkpoint 1
            feed(h, 2, 4);
            h.snapshot(3, 3);
            assertEquals(Set.of("reference-1", "trainer-1", "trainer-3"), stateDirs(stateRoot(dir, h)),
                    "checkpoint 2 references checkpoint 1's files; the reference is written once");
        }
    }

    @Test
    void filesNoRetainedCheckpointNeedsAreDeletedAndThoseOfLaterCheckpointsKept(@TempDir Path dir) throws Exception {
        try (var h = harness(config(dir, true, 1))) {
            h.open();
            Path root = stateRoot(dir, h);
            Files.createDirectories(root.resolve("trainer-0")); // left behind by a failed attempt
            feed(h, 0, 2);
            h.snapshot(1, 1);
            h.notifyOfCompletedCheckpoint(1);
            feed(h, 2, 4);
            h.snapshot(2, 2); // never completes: aborted
            feed(h, 4, 6);
            h.snapshot(3, 3);
            feed(h, 6, 8);
            h.snapshot(4, 4); // still being taken when 3 completes
            h.notifyOfCompletedCheckpoint(3);
            assertEquals(Set.of("reference-1", "trainer-3", "trainer-4"), awaitDirs(root, Set.of("reference-1",
                            "trainer-3", "trainer-4")),
                    "kept: the retained checkpoint 3 (with the reference it shares) and the later 4; deleted: the "
                            + "superseded 1, the aborted 2 and the failed attempt's 0");
        }
    }

    @Test
    void asManyCheckpointsFilesAreKeptAsTheJobsFlinkConfigurationRetains(@TempDir Path dir) throws Exception {
        try (var h = harness(config(dir, true, 1))) {
            h.getEnvironment().getJobConfiguration()
                    .set(org.apache.flink.configuration.CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
            h.open();
            Path root = stateRoot(dir, h);
            for (long cp = 1; cp <= 3; cp++) {
                feed(h, 2 * (cp - 1), 2 * cp);
                h.snapshot(cp, cp);
                h.notifyOfCompletedCheckpoint(cp);
            }
            assertEquals(Set.of("reference-1", "trainer-2", "trainer-3"), awaitDirs(root, Set.of("reference-1",
                            "trainer-2", "trainer-3")),
                    "Flink retains checkpoints 2 and 3 (num-retained 2 in the job's configuration), so their files stay");
        }
    }

    @Test
    void stateFilesCarryTheirCrc32cAndThoseOfEarlierBuildsWithSha256StillRestore(@TempDir Path dir) throws Exception {
        Path control = uninterrupted(dir.resolve("control"), 8);
        Path run = dir.resolve("run");
        OperatorSubtaskState snapshot;
        try (var h = harness(config(run, true, 1))) {
            h.open();
            feed(h, 0, 4);
            snapshot = h.snapshot(1, 1);
            for (String set : List.of("trainer-1", "reference-1")) {
                Path setDir = stateRoot(run, h).resolve(set);
                var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind
                        .ObjectMapper().readTree(setDir.resolve("manifest.json").toFile());
                var file = (com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("files").get(0);
                byte[] bytes = Files.readAllBytes(setDir.resolve(file.get("path").asText()));
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                crc.update(bytes);
                assertEquals(crc.getValue(), file.get("crc32c").asLong(), set + ": the CRC32C of " + file.get("path"));
                // as an earlier build wrote it: SHA-256 only
                file.remove("crc32c");
                file.put("sha256", java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
                Files.write(setDir.resolve("manifest.json"), new com.fasterxml.jackson.databind.ObjectMapper()
                        .writeValueAsBytes(manifest));
            }
        }
        try (var h = harness(config(run, true, 1))) {
            h.initializeState(snapshot);
            h.open();
            feed(h, 4, 8);
        }
        assertArrayEquals(published(control, 4), published(run, 4),
                "restored from files with SHA-256 manifests, the run reaches version 4 byte for byte");
    }

    @Test
    void aDamagedStateFileFailsTheRestoreNamingTheFile(@TempDir Path dir) throws Exception {
        OperatorSubtaskState snapshot;
        Path trainerFile;
        try (var h = harness(config(dir, true, 1))) {
            h.open();
            feed(h, 0, 2);
            snapshot = h.snapshot(1, 1);
            trainerFile = stateRoot(dir, h).resolve("trainer-1").resolve(LearnerStateFiles.TRAINER);
        }
        try (RandomAccessFile raf = new RandomAccessFile(trainerFile.toFile(), "rw")) {
            long at = raf.length() - 9;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x04);
        }
        var h = harness(config(dir, true, 1));
        Exception e = assertThrows(Exception.class, () -> h.initializeState(snapshot));
        String message = messages(e);
        assertTrue(message.contains(trainerFile.toString()) && message.contains("corrupted"), message);
        h.close();
    }

    @Test
    void stateFilesThatCannotBeWrittenFailThatCheckpointOnlyAndTheNextOneWritesThemAgain(@TempDir Path dir)
            throws Exception {
        OperatorSubtaskState second;
        try (var h = harness(config(dir, true, 1))) {
            h.open();
            feed(h, 0, 2);
            Path root = stateRoot(dir, h);
            Files.createDirectories(root.getParent());
            Files.writeString(root, "a file where the state directory should be");
            Exception e = assertThrows(Exception.class, () -> h.snapshot(1, 1));
            assertTrue(messages(e).contains("learner's state files could not be written"), messages(e));
            Files.delete(root);
            second = h.snapshot(2, 2); // no step since the failed one: its files are written again, not assumed
            assertEquals(Set.of("reference-2", "trainer-2"), stateDirs(root));
            feed(h, 2, 4);
        }
        try (var h = harness(config(dir, true, 1))) {
            h.initializeState(second);
            h.open();
            feed(h, 2, 4);
            assertEquals(1, h.extractOutputValues().size(), "restored at step 1, trains step 2");
        }
    }

    @Test
    void aSavepointHoldsTheStateItselfAndRestoresWithoutTheFiles(@TempDir Path dir) throws Exception {
        Path control = uninterrupted(dir.resolve("control"), 6);
        Path run = dir.resolve("run");
        OperatorSubtaskState savepoint;
        Path root;
        try (var h = harness(config(run, true, 1))) {
            h.open();
            feed(h, 0, 4);
            savepoint = h.snapshotWithLocalState(1, 1, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                    .getJobManagerOwnedState();
            root = stateRoot(run, h);
        }
        assertEquals(Set.of(), stateDirs(root), "a savepoint writes no state files");
        try (var h = harness(config(run, true, 1))) {
            h.initializeState(savepoint);
            h.open();
            feed(h, 4, 6);
        }
        assertArrayEquals(published(control, 3), published(run, 3), "the savepoint alone restores the learner");
    }

    @Test
    void strictSyncsPreviousVersionIsAFileTheCheckpointReferencesAndARestoreRepublishesItByteForByte(@TempDir Path dir)
            throws Exception {
        Path control = uninterrupted(dir.resolve("control"), 8, 1);
        long inlineSize;
        try (var h = harness(config(dir.resolve("inline"), false, 1, 1))) {
            h.open();
            feed(h, 0, 4);
            inlineSize = h.snapshot(1, 1).getStateSize();
        }
        Path run = dir.resolve("run");
        OperatorSubtaskState snapshot;
        try (var h = harness(config(run, true, 1, 1))) {
            h.open();
            feed(h, 0, 4); // versions 0, 1, 2: a restore of version 2 must republish version 1 (lag 1)
            snapshot = h.snapshot(1, 1);
            assertTrue(snapshot.getStateSize() * 20 < inlineSize, "the checkpoint holds references, not the previous "
                    + "version's arrays: " + snapshot.getStateSize() + " bytes against " + inlineSize + " inline");
            assertEquals(Set.of("reference-1", "trainer-1", "version-1-1"), stateDirs(stateRoot(run, h)));
            feed(h, 4, 6);
        }
        try (var h = harness(config(run, true, 1, 1))) {
            h.initializeState(snapshot);
            h.open();
            assertArrayEquals(published(control, 1), published(run, 1),
                    "the restore republishes the previous version into its new namespace, byte for byte");
            feed(h, 4, 8);
        }
        assertArrayEquals(published(control, 4), published(run, 4),
                "restored in strict sync from the files, the run reaches version 4 byte for byte");
    }

    @Test
    void aPreviousVersionIsWrittenOnceAndDeletedWhenNoRetainedCheckpointNeedsIt(@TempDir Path dir) throws Exception {
        try (var h = harness(config(dir, true, 1, 1))) {
            h.open();
            Path root = stateRoot(dir, h);
            feed(h, 0, 4);
            h.snapshot(1, 1);
            h.notifyOfCompletedCheckpoint(1);
            h.snapshot(2, 2); // no step since: the same previous version, not written again
            h.notifyOfCompletedCheckpoint(2);
            assertEquals(Set.of("reference-1", "trainer-1", "version-1-1"), awaitDirs(root, Set.of("reference-1",
                    "trainer-1", "version-1-1")), "checkpoint 2 references checkpoint 1's files, version 1's too");
            feed(h, 4, 6);
            h.snapshot(3, 3);
            h.notifyOfCompletedCheckpoint(3);
            assertEquals(Set.of("reference-1", "trainer-3", "version-2-3"), awaitDirs(root, Set.of("reference-1",
                            "trainer-3", "version-2-3")),
                    "after a step the lag needs version 2; version 1 went with the last checkpoint that needed it");
        }
    }

    @Test
    void aSavepointInStrictSyncHoldsThePreviousVersionItselfAndRestoresWithoutTheFiles(@TempDir Path dir)
            throws Exception {
        Path control = uninterrupted(dir.resolve("control"), 6, 1);
        Path run = dir.resolve("run");
        OperatorSubtaskState savepoint;
        try (var h = harness(config(run, true, 1, 1))) {
            h.open();
            feed(h, 0, 4);
            h.snapshot(1, 1); // a checkpoint by reference first: the savepoint must not lean on its files
            savepoint = h.snapshotWithLocalState(2, 2, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                    .getJobManagerOwnedState();
            deleteRecursively(stateRoot(run, h));
        }
        try (var h = harness(config(run, true, 1, 1))) {
            h.initializeState(savepoint);
            h.open();
            assertArrayEquals(published(control, 1), published(run, 1), "the savepoint holds the previous version");
            feed(h, 4, 6);
        }
        assertArrayEquals(published(control, 3), published(run, 3), "the savepoint alone restores the learner");
    }

    private static void deleteRecursively(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
