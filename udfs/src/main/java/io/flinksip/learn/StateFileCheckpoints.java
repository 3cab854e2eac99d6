package io.flinksip.learn;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The learner's checkpoints by reference, on the task thread's side: which files a checkpoint references, writing
 * them off the task thread, and deleting those no retained checkpoint needs. One per learner subtask; not
 * thread-safe (the task thread calls it), the writes and deletes run on threads of its own.
 */
final class StateFileCheckpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateFileCheckpoints.class);

    private final LearnerStateFiles files;
    private final int retained;
    private final ExecutorService writer = daemon("learner-state-writer");
    private final ExecutorService deleter = daemon("learner-state-cleaner");
    /** Directory names each checkpoint's state is in. */
    private final TreeMap<Long, Set<String>> byCheckpoint = new TreeMap<>();
    private final ArrayDeque<Long> completed = new ArrayDeque<>();
    /** The newest files written (or restored) and their write: reused while no step changes the state. */
    private LearnerStateFiles.StateRef last;
    private CompletableFuture<Void> lastWrite;
    /** Strict sync's previous versions written (or restored) for a checkpoint, and their writes, by version. */
    private final TreeMap<Long, VersionWrite> versions = new TreeMap<>();

    private record VersionWrite(LearnerStateFiles.VersionRef ref, CompletableFuture<Void> write) {
    }

    /**
     * @param files where this job's learner writes its state files
     * @param retained how many completed checkpoints Flink retains
     */
    StateFileCheckpoints(LearnerStateFiles files, int retained) {
        this.files = files;
        this.retained = retained;
    }

    /** Reads the state a checkpoint referenced, and keeps its files as the restored checkpoint's. */
    TrainerState restore(LearnerStateFiles.StateRef ref, long restoredCheckpoint) throws IOException {
        TrainerState state = files.read(ref);
        last = ref.withPreviousVersions(List.of());
        lastWrite = CompletableFuture.completedFuture(null);
        for (LearnerStateFiles.VersionRef v : ref.previousVersions()) {
            versions.put(v.version(), new VersionWrite(v, CompletableFuture.completedFuture(null)));
        }
        byCheckpoint.put(restoredCheckpoint, names(ref));
        completed.add(restoredCheckpoint);
        return state;
    }

    /** What a checkpoint holds instead of the state, and the write it must wait for. */
    record Snapshot(LearnerStateFiles.StateRef ref, CompletableFuture<Void> write) {
    }

    /**
     * The files checkpoint {@code checkpointId} references: those of the last checkpoint when no step changed the
     * state since (and their write did not fail), otherwise new ones, written from the trainer's own arrays, which it
     * hands over without a copy ({@link PolicyTrainer#share()}). The DPO reference is written once per sync, and each of
     * strict sync's previous versions once, by the first checkpoint that needs it.
     *
     * @param previousVersions the versions a restore of this checkpoint republishes (oldest first), as arrays nothing
     *     changes any more; empty outside strict sync
     */
    Snapshot snapshot(long checkpointId, PolicyTrainer trainer, Map<Long, float[][]> previousVersions) {
        boolean lastFailed = lastWrite != null && lastWrite.isCompletedExceptionally();
        boolean unchanged = last != null && !lastFailed && last.step() == trainer.step()
                && last.rngState() == trainer.rng().state();
        if (!unchanged) {
            TrainerState shared = trainer.share();
            String nonce = UUID.randomUUID().toString();
            LearnerStateFiles.Ref trainerFiles = new LearnerStateFiles.Ref(files.dirFor("trainer", checkpointId),
                    nonce);
            boolean sameReference = last != null && !lastFailed && last.reference() != null
                    && last.referenceSyncedAtStep() == shared.referenceSyncedAtStep();
            LearnerStateFiles.Ref referenceFiles = shared.referenceWeights() == null ? null : sameReference
                    ? last.reference() : new LearnerStateFiles.Ref(files.dirFor("reference", checkpointId), nonce);
            boolean writeReference = referenceFiles != null && !sameReference;
            CompletableFuture<Void> previous = lastWrite;
            lastWrite = CompletableFuture.runAsync(() -> {
                try {
                    if (sameReference && previous != null) {
                        previous.join(); // the reference this shares may still be being written
                    }
                    files.writeTrainer(trainerFiles.dir(), shared, nonce);
                    if (writeReference) {
                        files.writeReference(referenceFiles.dir(), shared, nonce);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, writer);
            last = new LearnerStateFiles.StateRef(trainerFiles, referenceFiles, shared.step(), shared.rngState(),
                    shared.referenceSyncedAtStep());
        }
        List<LearnerStateFiles.VersionRef> previous = new ArrayList<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>(List.of(lastWrite));
        for (Map.Entry<Long, float[][]> v : previousVersions.entrySet()) {
            VersionWrite w = versions.get(v.getKey());
            if (w == null || w.write().isCompletedExceptionally()) {
                w = writeVersion(checkpointId, v.getKey(), trainer.modelConfig(), v.getValue());
                versions.put(v.getKey(), w);
            }
            previous.add(w.ref());
            writes.add(w.write());
        }
        versions.keySet().retainAll(previousVersions.keySet()); // older checkpoints' names keep their files
        LearnerStateFiles.StateRef ref = last.withPreviousVersions(previous);
        byCheckpoint.put(checkpointId, names(ref));
        return new Snapshot(ref, writes.size() == 1 ? lastWrite
                : CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])));
    }

    private VersionWrite writeVersion(long checkpointId, long version, io.flinksip.model.LlamaConfig config,
                                      float[][] weights) {
        String nonce = UUID.randomUUID().toString();
        String dir = files.dirFor("version-" + version, checkpointId);
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
            try {
                files.writeVersion(dir, version, config, weights, nonce);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, writer);
        return new VersionWrite(new LearnerStateFiles.VersionRef(version, new LearnerStateFiles.Ref(dir, nonce)),
                write);
    }

    /**
     * Keeps the files of the retained checkpoints (and of those still being taken) and deletes the rest: files of
     * checkpoints no longer retained, of aborted ones, and those a failed attempt left behind. Savepoints reference
     * no files, so a savepoint's completion changes nothing.
     */
    void completed(long checkpointId) {
        if (!byCheckpoint.containsKey(checkpointId)) {
            return;
        }
        completed.add(checkpointId);
        while (completed.size() > retained) {
            completed.removeFirst();
        }
        byCheckpoint.headMap(completed.peekFirst()).clear();
        Set<String> keep = new HashSet<>();
        for (Map.Entry<Long, Set<String>> e : byCheckpoint.entrySet()) {
            if (completed.contains(e.getKey()) || e.getKey() > checkpointId) {
                keep.addAll(e.getValue());
            }
        }
        deleter.execute(() -> {
            try {
                files.deleteUnusedUpTo(checkpointId, keep);
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not delete learner state files no checkpoint needs: {}", e.toString());
            }
        });
    }

    private static Set<String> names(LearnerStateFiles.StateRef ref) {
        Set<String> names = new HashSet<>();
        names.add(ref.trainer().name());
        if (ref.reference() != null) {
            names.add(ref.reference().name());
        }
        for (LearnerStateFiles.VersionRef v : ref.previousVersions()) {
            names.add(v.files().name());
        }
        return names;
    }

    private static ExecutorService daemon(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        deleter.shutdown();
        writer.awaitTermination(60, TimeUnit.SECONDS);
        deleter.awaitTermination(10, TimeUnit.SECONDS);
    }
}
