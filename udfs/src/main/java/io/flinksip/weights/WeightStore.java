package io.flinksip.weights;

import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaConfigCodec;
import io.flinksip.model.LlamaModel;
import io.flinksip.schema.WeightFile;
import io.flinksip.schema.WeightManifest;
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
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;

import java.util.OptionalLong;

/**
 * Versioned policy snapshots on any Flink file system (a local directory by default; S3 or HDFS on clusters), written
 * by the learner and read by rollout operators:
 *
 * <pre>
 * root/namespace/v-000000000042/weights.bin     raw float32 weights with a small header
 * root/namespace/v-000000000042/manifest.json   version, lineage, file sizes and CRC32C
 * root/namespace/LATEST                         the newest complete version, replaced by rename
 * root/namespace/progress.json                  where the learner's current step window stands
 * root/_verdicts/                               strict mode's verdict log (not a namespace)
 * </pre>
 *
 * A version directory is written completely before LATEST names it, so readers never see a partial version. The
 * namespace is the learner's lineage (job id and attempt): after a restore the learner writes into a fresh namespace,
 * so versions written by the failed attempt, possibly ahead of the restored step, are never read.
 */
public final class WeightStore implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int MAGIC = 0x46535057; // "FSPW"
    private static final int FORMAT = 1;

    private final String root;

    public WeightStore(String root) {
        this.root = root;
    }

    public String root() {
        return root;
    }

    /**
     * The namespace (lineage) a job attempt publishes to and reads from. Every task of the job restarts together (the
     * graph is one pipelined region), so after a restore no task reads versions a failed attempt wrote.
     */
    public static String namespaceOf(String jobId, int attempt) {
        return jobId + "-" + attempt;
    }

    private Path namespaceDir(String namespace) {
        return new Path(root, namespace);
    }

    private static String versionDir(long version) {
        return String.format("v-%012d", version);
    }

    /**
     * Where version {@code version} of {@code namespace} lives (a directory holding {@code weights.bin} and
     * {@code manifest.json}): what {@code generate --model} and {@code eval} take, and what tools may read.
     */
    public String versionPath(String namespace, long version) {
        return new Path(namespaceDir(namespace), versionDir(version)).toString();
    }

    /**
     * Writes a version and makes it the namespace's LATEST.
     *
     * @param summaryJson the step's summary (a PolicyUpdate as JSON) stored beside the weights for progress
     *     displays and tools, or null
     */
    public void publish(String namespace, long version, long step, LlamaConfig config, List<String> names,
                        float[][] params, String summaryJson) {
        try {
            Path dir = new Path(namespaceDir(namespace), versionDir(version));
            FileSystem fs = dir.getFileSystem();
            fs.mkdirs(dir);
            Path weights = new Path(dir, "weights.bin");
            WeightChecksum checksum = WeightChecksum.forWriting();
            try (FSDataOutputStream raw = fs.create(weights, FileSystem.WriteMode.OVERWRITE);
                 DataOutputStream out = new DataOutputStream(checksum.wrap(new BufferedOutputStream(raw, 1 << 20)))) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                out.writeLong(version);
                LlamaConfigCodec.write(out, config);
                out.writeInt(names.size());
                for (int i = 0; i < names.size(); i++) {
                    out.writeUTF(names.get(i));
                    out.writeInt(params[i].length);
                }
                byte[] buffer = new byte[FloatStreams.BUFFER_BYTES];
                for (float[] p : params) {
                    FloatStreams.write(out, p, buffer);
                }
                out.flush();
            }
            // DataOutputStream counts in an int, which saturates at 2 GiB: ask the file system
            long size = fs.getFileStatus(weights).getLen();
            WeightManifest manifest = WeightManifest.newBuilder().setVersion(version).setStep(step)
                    .setLineage(namespace).setParentVersion(version > 0 ? version - 1 : null) // one step per version
                    .setCreatedMillis(System.currentTimeMillis())
                    .setFiles(List.of(checksum.entry("weights.bin", size))).build();
            writeSmallFile(new Path(dir, "manifest.json"), ManifestJson.write(manifest));
            if (summaryJson != null) {
                writeSmallFile(new Path(dir, "summary.json"), summaryJson.getBytes(StandardCharsets.UTF_8));
            }
            Path latestTmp = new Path(namespaceDir(namespace), ".LATEST." + version + ".tmp");
            writeSmallFile(latestTmp, Long.toString(version).getBytes(StandardCharsets.US_ASCII));
            Path latest = new Path(namespaceDir(namespace), "LATEST");
            if (!fs.rename(latestTmp, latest)) {
                // Some file systems do not replace on rename: remove, then rename (readers retry on a miss).
                fs.delete(latest, false);
                if (!fs.rename(latestTmp, latest)) {
                    throw new IOException("cannot publish " + latest);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("publishing policy version " + version + " to " + root, e);
        }
    }

    /** The newest complete version of the namespace, if any. */
    public OptionalLong latest(String namespace) {
        Path latest = new Path(namespaceDir(namespace), "LATEST");
        try {
            FileSystem fs = latest.getFileSystem();
            if (!fs.exists(latest)) {
                return OptionalLong.empty();
            }
            try (FSDataInputStream in = fs.open(latest)) {
                return OptionalLong.of(Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim()));
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty(); // being replaced right now: the caller polls again
        }
    }

    /**
     * Loads a version, verifying its bytes against the checksum and size of its manifest: a truncated or corrupted file
     * fails with an error naming it, never loads as different weights.
     */
    public PolicyWeights load(String namespace, long version) {
        Path dir = new Path(namespaceDir(namespace), versionDir(version));
        Path weights = new Path(dir, "weights.bin");
        WeightFile expected = manifestEntry(dir, weights);
        WeightChecksum checksum = WeightChecksum.forChecking(expected);
        try (FSDataInputStream raw = weights.getFileSystem().open(weights);
             FloatStreams.Counting counted = new FloatStreams.Counting(
                     checksum.wrap(new BufferedInputStream(raw, 1 << 20)));
             DataInputStream in = new DataInputStream(counted)) {
            Header header = Header.read(in, weights, version);
            LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
            byte[] bytes = new byte[FloatStreams.BUFFER_BYTES];
            for (int i = 0; i < header.names().length; i++) {
                out.put(header.names()[i], FloatStreams.read(in, header.sizes()[i], bytes));
            }
            if (in.read() != -1) {
                throw new IOException("weight file " + weights + " is longer than its contents");
            }
            String mismatch = checksum.mismatch(expected, counted.count());
            if (mismatch != null) {
                throw new IOException("weight file " + weights + " does not match its manifest (" + mismatch
                        + "): corrupted");
            }
            return new PolicyWeights(version, header.config(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("loading policy version " + version + " from " + weights, e);
        }
    }

    /**
     * Moves version {@code version} straight into {@code model}'s tensors: the file memory-mapped and copied into the
     * tensors' own storage (converted on the way for a float16 replica), with no float array of the model in between,
     * after its whole content was checked against the manifest (so a damaged file never reaches the model). Applies
     * where the store is on a local file system and the model is of the same shape on the CPU; returns false where it
     * does not (then load with {@link #load} and {@link LlamaModel#loadWeights}).
     *
     * @throws UncheckedIOException when the version is missing, incomplete or damaged, naming the file
     */
    public boolean loadInto(String namespace, long version, LlamaModel model) {
        Path dir = new Path(namespaceDir(namespace), versionDir(version));
        Path weights = new Path(dir, "weights.bin");
        try {
            if (!(weights.getFileSystem() instanceof org.apache.flink.core.fs.local.LocalFileSystem)
                    || java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
                return false;
            }
            for (ai.djl.ndarray.NDArray p : model.parameters().values()) {
                if (io.flinksip.model.Autograd.storageBytes(p) == null) {
                    return false; // not on the CPU: the caller loads through float arrays
                }
            }
            WeightFile expected = manifestEntry(dir, weights);
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                    java.nio.file.Path.of(weights.toUri().getPath()), java.nio.file.StandardOpenOption.READ)) {
                long size = channel.size();
                WeightChecksum checksum = WeightChecksum.forChecking(expected);
                for (long at = 0; at < size; at += MAP_WINDOW) {
                    checksum.update(channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, at,
                            Math.min(MAP_WINDOW, size - at)));
                }
                String mismatch = checksum.mismatch(expected, size);
                if (mismatch != null) {
                    throw new IOException("weight file " + weights + " does not match its manifest (" + mismatch
                            + "): corrupted");
                }
                FloatStreams.Counting header = new FloatStreams.Counting(java.nio.channels.Channels.newInputStream(
                        channel.position(0)));
                Header parsed = Header.read(new DataInputStream(header), weights, version);
                if (!parsed.config().equals(model.config())) {
                    return false; // another shape: the caller builds a new model
                }
                long at = header.count();
                List<ai.djl.ndarray.NDArray> tensors = List.copyOf(model.parameters().values());
                for (int i = 0; i < tensors.size(); i++) {
                    long length = 4L * parsed.sizes()[i];
                    // float32 tensors take the bytes as they are; float16 ones convert on the way in
                    if (!io.flinksip.model.Autograd.overwriteFrom(tensors.get(i), channel.map(
                            java.nio.channels.FileChannel.MapMode.READ_ONLY, at, length))) {
                        throw new IOException("tensor " + parsed.names()[i] + " of the replica cannot take " + length
                                + " bytes");
                    }
                    at += length;
                }
                return true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("loading policy version " + version + " from " + weights, e);
        }
    }

    /** A weight file's header: the model shape and each tensor's name and size, checked against the version. */
    private record Header(LlamaConfig config, String[] names, int[] sizes) {
        static Header read(DataInputStream in, Path weights, long version) throws IOException {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new IOException("not a flink-sip weight file: " + weights);
            }
            long stored = in.readLong();
            if (stored != version) {
                throw new IOException("weight file " + weights + " holds version " + stored);
            }
            LlamaConfig config = LlamaConfigCodec.read(in);
            int n = in.readInt();
            String[] names = new String[n];
            int[] sizes = new int[n];
            for (int i = 0; i < n; i++) {
                names[i] = in.readUTF();
                sizes[i] = in.readInt();
            }
            if (!List.of(names).equals(LlamaModel.parameterNames(config))) {
                throw new IOException("weight file " + weights + " does not match its model configuration");
            }
            return new Header(config, names, sizes);
        }
    }

    /** Mapped at most this much at a time while checking a file (a mapping cannot exceed 2 GiB). */
    private static final long MAP_WINDOW = 1L << 30;

    private static WeightFile manifestEntry(Path dir, Path weights) {
        Path manifest = new Path(dir, "manifest.json");
        try (FSDataInputStream in = manifest.getFileSystem().open(manifest)) {
            for (WeightFile file : ManifestJson.read(in.readAllBytes()).getFiles()) {
                if (file.getPath().toString().equals("weights.bin")) {
                    return file;
                }
            }
            throw new IOException(manifest + " lists no checksum for weights.bin");
        } catch (IOException e) {
            throw new UncheckedIOException("policy version " + dir + " has no readable manifest (an incomplete or "
                    + "damaged version): " + e.getMessage(), e);
        }
    }

    /** Deletes all but the newest {@code keep} versions of the namespace. */
    public void retain(String namespace, int keep) {
        try {
            Path dir = namespaceDir(namespace);
            FileSystem fs = dir.getFileSystem();
            FileStatus[] entries = fs.listStatus(dir);
            if (entries == null) {
                return;
            }
            List<String> versions = new java.util.ArrayList<>();
            for (FileStatus s : entries) {
                if (s.isDir() && s.getPath().getName().startsWith("v-")) {
                    versions.add(s.getPath().getName());
                }
            }
            versions.sort(null);
            for (int i = 0; i < versions.size() - keep; i++) {
                fs.delete(new Path(dir, versions.get(i)), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes every namespace but {@code keep}: versions of abandoned lineages must never be served again. */
    public void removeOtherNamespaces(String keep) {
        try {
            Path rootPath = new Path(root);
            FileSystem fs = rootPath.getFileSystem();
            if (!fs.exists(rootPath)) {
                return;
            }
            for (FileStatus s : fs.listStatus(rootPath)) {
                String name = s.getPath().getName();
                if (s.isDir() && !name.equals(keep) && !reserved(name)) {
                    fs.delete(s.getPath(), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeSmallFile(Path path, byte[] content) throws IOException {
        try (FSDataOutputStream out = path.getFileSystem().create(path, FileSystem.WriteMode.OVERWRITE)) {
            out.write(content);
        }
    }

    /**
     * Replaces the namespace's {@code progress.json}: where the learner's current step window stands (how many of its
     * samples are accounted for), for progress displays while no new version appears.
     */
    public void writeProgress(String namespace, String json) {
        try {
            Path dir = namespaceDir(namespace);
            Path tmp = new Path(dir, ".progress.json.tmp");
            writeSmallFile(tmp, json.getBytes(StandardCharsets.UTF_8));
            Path target = new Path(dir, "progress.json");
            FileSystem fs = dir.getFileSystem();
            if (!fs.rename(tmp, target)) {
                fs.delete(target, false);
                fs.rename(tmp, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing progress of " + namespace, e);
        }
    }

    /** The namespace's progress.json, if any. */
    public java.util.Optional<String> progress(String namespace) {
        return readSmallFile(new Path(namespaceDir(namespace), "progress.json"));
    }

    /** The summary stored with a version, if any. */
    public java.util.Optional<String> summary(String namespace, long version) {
        return readSmallFile(new Path(new Path(namespaceDir(namespace), versionDir(version)), "summary.json"));
    }

    private static java.util.Optional<String> readSmallFile(Path file) {
        try {
            FileSystem fs = file.getFileSystem();
            if (!fs.exists(file)) {
                return java.util.Optional.empty();
            }
            try (FSDataInputStream in = fs.open(file)) {
                return java.util.Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Names starting with "_" under the root are not namespaces: {@code _verdicts} is strict mode's verdict log. */
    private static boolean reserved(String name) {
        return name.startsWith("_");
    }

    /** Where strict mode keeps its verdict log: beside the versions, on the same durable file system. */
    public String verdictLogRoot() {
        return new Path(root, "_verdicts").toString();
    }

    /** Where the learner of job {@code jobId} keeps the files its checkpoints reference. */
    public String learnerStateRoot(String jobId) {
        return new Path(new Path(root, "_learner-state"), jobId).toString();
    }

    /** Namespaces present under the root (normally one: the running attempt's). */
    public List<String> namespaces() {
        try {
            Path rootPath = new Path(root);
            FileSystem fs = rootPath.getFileSystem();
            List<String> out = new java.util.ArrayList<>();
            if (fs.exists(rootPath)) {
                for (FileStatus s : fs.listStatus(rootPath)) {
                    if (s.isDir() && !reserved(s.getPath().getName())) {
                        out.add(s.getPath().getName());
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
