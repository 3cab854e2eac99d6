package io.flinksip.learn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaConfigCodec;
import io.flinksip.weights.FloatStreams;
import io.flinksip.weights.WeightChecksum;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The learner's state as immutable files, which its checkpoints reference instead of holding: a trainer file
 * (model shape, weights, both AdamW moments) per checkpoint that follows a step, and a reference file (the frozen DPO
 * reference) per reference sync, which every checkpoint until the next sync references, and in strict sync a version
 * file per published version a checkpoint needs for its restore (the lag's previous versions), written once and
 * referenced by every checkpoint within the lag of it. Each set of files lives in a
 * directory of its own with a {@code manifest.json} written last: the files' sizes and CRC32C (SHA-256 in files of
 * earlier builds, still read), and a nonce that the checkpoint's reference repeats, so a restore never loads a torn,
 * corrupted or foreign file (the error names it).
 *
 * <p>Files are written off the task thread, from arrays the trainer no longer changes ({@link PolicyTrainer#share()});
 * the checkpoint completes only once they are written.
 */
public final class LearnerStateFiles {
    private static final int MAGIC = 0x53495053; // "SIPS"
    private static final int FORMAT = 1;
    static final String TRAINER = "trainer.bin";
    static final String REFERENCE = "reference.bin";
    static final String VERSION = "version.bin";
    static final String MANIFEST = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    /** @param root the directory of one job's learner state (under the weight store's {@code _learner-state}) */
    public LearnerStateFiles(String root) {
        this.root = new Path(root);
    }

    public String root() {
        return root.toString();
    }

    /**
     * A written set of files: its directory (absolute, so a job resumed from another job's retained checkpoint finds
     * it) and the nonce its manifest carries.
     */
    public record Ref(String dir, String nonce) {
        /** The directory's own name, which {@link #deleteUnusedUpTo} keeps or deletes. */
        public String name() {
            return new Path(dir).getName();
        }
    }

    /**
     * The directory for the files of checkpoint {@code checkpointId} ({@code kind}: "trainer", "reference" or
     * "version-" and the version's number); its name ends in the checkpoint's id, which {@link #deleteUnusedUpTo} reads.
     */
    public String dirFor(String kind, long checkpointId) {
        return new Path(root, kind + "-" + checkpointId).toString();
    }

    /** Writes weights and moments of {@code state} into directory {@code dir}; returns its reference. */
    public Ref writeTrainer(String dir, TrainerState state, String nonce) throws IOException {
        Path d = new Path(dir);
        FileSystem fs = d.getFileSystem();
        fs.mkdirs(d);
        ObjectNode file = writeArrays(new Path(d, TRAINER), state.modelConfig(), List.of(state.parameters(),
                state.firstMoments(), state.secondMoments()));
        writeManifest(d, nonce, file);
        return new Ref(dir, nonce);
    }

    /** Writes the DPO reference of {@code state} into directory {@code dir}; returns its reference. */
    public Ref writeReference(String dir, TrainerState state, String nonce) throws IOException {
        Path d = new Path(dir);
        d.getFileSystem().mkdirs(d);
        ObjectNode file = writeArrays(new Path(d, REFERENCE), state.modelConfig(),
                List.<float[][]>of(state.referenceWeights()));
        writeManifest(d, nonce, file);
        return new Ref(dir, nonce);
    }

    /** Writes the weights of published version {@code version} into directory {@code dir}; returns its reference. */
    public VersionRef writeVersion(String dir, long version, LlamaConfig config, float[][] weights, String nonce)
            throws IOException {
        Path d = new Path(dir);
        d.getFileSystem().mkdirs(d);
        ObjectNode file = writeArrays(new Path(d, VERSION), config, List.<float[][]>of(weights));
        writeManifest(d, nonce, file);
        return new VersionRef(version, new Ref(dir, nonce));
    }

    /** A previous version's weights in a version file, and which version they are. */
    public record VersionRef(long version, Ref files) {
    }

    /**
     * The weights of the previous versions {@code ref} references (oldest first), read and verified against the
     * model of {@code names}.
     */
    public java.util.LinkedHashMap<Long, float[][]> readPreviousVersions(StateRef ref, List<String> names)
            throws IOException {
        java.util.LinkedHashMap<Long, float[][]> versions = new java.util.LinkedHashMap<>();
        for (VersionRef v : ref.previousVersions()) {
            float[][] weights = readArrays(v.files(), VERSION, 1).groups.get(0);
            checkCount(weights.length, names, v.files());
            versions.put(v.version(), weights);
        }
        return versions;
    }

    /** The model shape and the three array groups (weights, first moments, second moments) of a trainer file. */
    private record Trainer(LlamaConfig config, float[][] parameters, float[][] firstMoments, float[][] secondMoments) {
    }

    private Trainer readTrainerFile(Ref ref) throws IOException {
        Loaded l = readArrays(ref, TRAINER, 3);
        return new Trainer(l.config, l.groups.get(0), l.groups.get(1), l.groups.get(2));
    }

    private float[][] readReference(Ref ref, List<String> names) throws IOException {
        Loaded l = readArrays(ref, REFERENCE, 1);
        checkCount(l.groups.get(0).length, names, ref);
        return l.groups.get(0);
    }

    /**
     * Deletes the directories of checkpoints up to {@code checkpointId} that are not in {@code keep} (by name): those
     * of checkpoints no longer retained, of aborted ones, and those a failed attempt left. Later checkpoints' files
     * may still be being written and are left alone. Returns how many directories it deleted.
     */
    public int deleteUnusedUpTo(long checkpointId, Set<String> keep) throws IOException {
        FileSystem fs = root.getFileSystem();
        if (!fs.exists(root)) {
            return 0;
        }
        int deleted = 0;
        FileStatus[] entries = fs.listStatus(root);
        for (FileStatus s : entries == null ? new FileStatus[0] : entries) {
            String name = s.getPath().getName();
            long id = checkpointOf(name);
            if (s.isDir() && id >= 0 && id <= checkpointId && !keep.contains(name)) {
                fs.delete(s.getPath(), true);
                deleted++;
            }
        }
        return deleted;
    }

    private static long checkpointOf(String dirName) {
        int dash = dirName.lastIndexOf('-');
        try {
            return dash < 0 ? -1 : Long.parseLong(dirName.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static ObjectNode writeArrays(Path file, LlamaConfig config, List<float[][]> groups) throws IOException {
        WeightChecksum checksum = WeightChecksum.forWriting();
        FileSystem fs = file.getFileSystem();
        try (FSDataOutputStream raw = fs.create(file, FileSystem.WriteMode.OVERWRITE);
             DataOutputStream out = new DataOutputStream(checksum.wrap(new BufferedOutputStream(raw, 1 << 20)))) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            LlamaConfigCodec.write(out, config);
            out.writeInt(groups.size());
            out.writeInt(groups.get(0).length);
            for (float[] p : groups.get(0)) {
                out.writeInt(p.length);
            }
            byte[] bytes = new byte[FloatStreams.BUFFER_BYTES];
            for (float[][] group : groups) {
                for (float[] p : group) {
                    FloatStreams.write(out, p, bytes);
                }
            }
            out.flush();
            durable(fs, raw);
        }
        ObjectNode entry = JSON.createObjectNode();
        entry.put("path", file.getName());
        entry.put("sizeBytes", fs.getFileStatus(file).getLen());
        entry.put("crc32c", checksum.crc32c());
        return entry;
    }

    /**
     * On a local disk (or a mount of one), forces the file's bytes to the device before the checkpoint that references
     * it can complete: a checkpoint must survive the machine's crash, and a gigabyte of dirty pages left to the kernel
     * would also stall the next checkpoint's synchronous phase, whose RocksDB flush syncs behind them (ext4 commits the
     * journal with all dirty data ahead of it). Distributed file systems make a file durable on close.
     */
    private static void durable(FileSystem fs, FSDataOutputStream out) throws IOException {
        if (!fs.isDistributedFS()) {
            out.sync();
        }
    }

    private static void writeManifest(Path dir, String nonce, ObjectNode file) throws IOException {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("nonce", nonce);
        manifest.putArray("files").add(file);
        Path tmp = new Path(dir, "." + MANIFEST + ".tmp");
        try (FSDataOutputStream out = tmp.getFileSystem().create(tmp, FileSystem.WriteMode.OVERWRITE)) {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            durable(tmp.getFileSystem(), out);
        }
        if (!tmp.getFileSystem().rename(tmp, new Path(dir, MANIFEST))) {
            throw new IOException("cannot complete " + new Path(dir, MANIFEST));
        }
    }

    private record Loaded(LlamaConfig config, List<float[][]> groups) {
    }

    private Loaded readArrays(Ref ref, String name, int groupCount) throws IOException {
        Path dir = new Path(ref.dir());
        Path file = new Path(dir, name);
        JsonNode expected = expected(dir, ref, name);
        Long crc32c = expected.hasNonNull("crc32c") ? expected.get("crc32c").asLong() : null;
        String sha256 = expected.hasNonNull("sha256") ? expected.get("sha256").asText() : null;
        WeightChecksum checksum;
        try {
            checksum = WeightChecksum.forChecking(file.toString(), crc32c, sha256);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        long count;
        Loaded loaded;
        try (FSDataInputStream raw = file.getFileSystem().open(file);
             FloatStreams.Counting counted = new FloatStreams.Counting(checksum.wrap(
                     new BufferedInputStream(raw, 1 << 20)));
             DataInputStream in = new DataInputStream(counted)) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new IOException("not a flink-sip learner state file: " + file);
            }
            LlamaConfig config = LlamaConfigCodec.read(in);
            int groups = in.readInt();
            int n = in.readInt();
            if (groups != groupCount || n < 0 || n > 100_000) {
                throw new IOException(file + " holds " + groups + " groups of " + n + " arrays: not a " + name);
            }
            int[] sizes = new int[n];
            for (int i = 0; i < n; i++) {
                sizes[i] = in.readInt();
            }
            List<float[][]> out = new ArrayList<>();
            byte[] bytes = new byte[FloatStreams.BUFFER_BYTES];
            for (int g = 0; g < groups; g++) {
                float[][] arrays = new float[n][];
                for (int i = 0; i < n; i++) {
                    arrays[i] = FloatStreams.read(in, sizes[i], bytes);
                }
                out.add(arrays);
            }
            if (in.read() != -1) {
                throw new IOException(file + " is longer than its contents");
            }
            count = counted.count();
            loaded = new Loaded(config, out);
        } catch (java.io.EOFException e) {
            throw new IOException(file + " is truncated: " + e.getMessage(), e);
        }
        String mismatch = checksum.mismatch(count, expected.get("sizeBytes").asLong(), crc32c, sha256);
        if (mismatch != null) {
            throw new IOException(file + " does not match its manifest (" + mismatch + "): corrupted");
        }
        return loaded;
    }

    private static JsonNode expected(Path dir, Ref ref, String name) throws IOException {
        Path manifest = new Path(dir, MANIFEST);
        if (!manifest.getFileSystem().exists(manifest)) {
            throw new IOException(manifest + " is missing: the learner state in " + dir + " was never completely "
                    + "written, or has been deleted");
        }
        JsonNode m;
        try (FSDataInputStream in = manifest.getFileSystem().open(manifest)) {
            m = JSON.readTree(in.readAllBytes());
        }
        if (!ref.nonce().equals(m.path("nonce").asText())) {
            throw new IOException(manifest + " belongs to other state (nonce " + m.path("nonce").asText()
                    + ", the checkpoint expects " + ref.nonce() + ")");
        }
        for (JsonNode f : m.path("files")) {
            if (name.equals(f.path("path").asText())) {
                return f;
            }
        }
        throw new IOException(manifest + " lists no " + name);
    }

    private static void checkCount(int arrays, List<String> names, Ref ref) throws IOException {
        if (arrays != names.size()) {
            throw new IOException("learner state " + ref.dir() + " holds " + arrays + " arrays, the model has "
                    + names.size());
        }
    }

    /**
     * What the learner's Flink state holds instead of its arrays: the files (and the nonces that tie them to this
     * checkpoint), and the trainer's scalars.
     *
     * @param reference the DPO reference's files, or null when the trainer keeps no reference
     * @param previousVersions strict sync's previous versions (the lag's, oldest first), which a restore republishes;
     *     empty otherwise
     */
    public record StateRef(Ref trainer, Ref reference, long step, long rngState, long referenceSyncedAtStep,
                           List<VersionRef> previousVersions) {
        public StateRef {
            previousVersions = List.copyOf(previousVersions);
        }

        public StateRef(Ref trainer, Ref reference, long step, long rngState, long referenceSyncedAtStep) {
            this(trainer, reference, step, rngState, referenceSyncedAtStep, List.of());
        }

        /** The same trainer state with {@code versions} as its previous versions. */
        public StateRef withPreviousVersions(List<VersionRef> versions) {
            return new StateRef(trainer, reference, step, rngState, referenceSyncedAtStep, versions);
        }

        /** A short JSON text, as kept in the learner's state. */
        public String encode() {
            ObjectNode n = JSON.createObjectNode();
            n.put("step", step).put("rngState", rngState).put("referenceSyncedAtStep", referenceSyncedAtStep);
            n.putObject("trainer").put("dir", trainer.dir()).put("nonce", trainer.nonce());
            if (reference != null) {
                n.putObject("reference").put("dir", reference.dir()).put("nonce", reference.nonce());
            }
            if (!previousVersions.isEmpty()) {
                var array = n.putArray("previousVersions");
                for (VersionRef v : previousVersions) {
                    array.addObject().put("version", v.version()).put("dir", v.files().dir())
                            .put("nonce", v.files().nonce());
                }
            }
            return n.toString();
        }

        public static StateRef decode(String text) throws IOException {
            JsonNode n = JSON.readTree(text.getBytes(StandardCharsets.UTF_8));
            JsonNode r = n.get("reference");
            List<VersionRef> previous = new ArrayList<>(); // none in references of earlier builds
            for (JsonNode v : n.path("previousVersions")) {
                previous.add(new VersionRef(v.get("version").asLong(), new Ref(v.get("dir").asText(),
                        v.get("nonce").asText())));
            }
            return new StateRef(new Ref(n.get("trainer").get("dir").asText(), n.get("trainer").get("nonce").asText()),
                    r == null ? null : new Ref(r.get("dir").asText(), r.get("nonce").asText()), n.get("step").asLong(),
                    n.get("rngState").asLong(), n.get("referenceSyncedAtStep").asLong(), previous);
        }
    }

    /** The trainer state a {@link StateRef} describes, read and verified. */
    public TrainerState read(StateRef ref) throws IOException {
        Trainer t = readTrainerFile(ref.trainer());
        List<String> names = io.flinksip.model.LlamaModel.parameterNames(t.config());
        checkCount(t.parameters().length, names, ref.trainer());
        float[][] reference = ref.reference() == null ? null : readReference(ref.reference(), names);
        return new TrainerState(t.config(), ref.step(), ref.rngState(), names, t.parameters(), t.firstMoments(),
                t.secondMoments(), reference, ref.referenceSyncedAtStep());
    }
}
