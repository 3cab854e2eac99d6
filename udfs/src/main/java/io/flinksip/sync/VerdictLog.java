package io.flinksip.sync;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What the judges and the rewriter answered for each sample of strict mode, kept on a durable file system (beside the
 * weight store) until the step that trains the sample is part of a completed checkpoint:
 *
 * <pre>
 * root/w-000000000012/&lt;key&gt;.bin    one answer: a judged set, a rewrite, or the dead letter the call ended in
 * </pre>
 *
 * A replay after a failure asks for the same sample and the same candidates (strict mode makes them identical), finds
 * the answer under the same key and reuses it: the replayed step is the one the failed attempt would have taken even
 * when the LLM behind the judge is not deterministic, and no candidate is sent to it twice. Flink state alone cannot
 * do this: an answer that arrived after the last checkpoint is rolled back with it. Answers are written before they
 * leave the stage, each to a temporary file renamed into place, so a reader sees a whole answer or none.
 */
public final class VerdictLog implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String root;

    public VerdictLog(String root) {
        this.root = root;
    }

    public String root() {
        return root;
    }

    /**
     * The key of an answer: a hash of the stage, the configuration fingerprint, the sample and the exact inputs the
     * stage sends to its model, so any difference in what would be asked gives a different key.
     */
    public static String key(String stage, String fingerprint, String docId, int sampleIndex, List<String> inputs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(stage, fingerprint, docId, Integer.toString(sampleIndex))) {
                update(sha, part);
            }
            for (String input : inputs) {
                update(sha, input);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest sha, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        sha.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array()); // length-prefixed: unambiguous
        sha.update(bytes);
    }

    private Path windowDir(long window) {
        return new Path(root, String.format("w-%012d", window));
    }

    public Optional<byte[]> read(long window, String key) {
        Path file = new Path(windowDir(window), key + ".bin");
        try {
            FileSystem fs = file.getFileSystem();
            if (!fs.exists(file)) {
                return Optional.empty();
            }
            try (FSDataInputStream in = fs.open(file)) {
                return Optional.of(in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the verdict log at " + file, e);
        }
    }

    public void write(long window, String key, byte[] answer) {
        Path dir = windowDir(window);
        Path tmp = new Path(dir, "." + key + "." + System.nanoTime() + ".tmp");
        Path file = new Path(dir, key + ".bin");
        try {
            FileSystem fs = dir.getFileSystem();
            fs.mkdirs(dir);
            try (FSDataOutputStream out = fs.create(tmp, FileSystem.WriteMode.OVERWRITE)) {
                out.write(answer);
            }
            if (!fs.rename(tmp, file)) {
                fs.delete(tmp, false);
                if (!fs.exists(file)) {
                    throw new IOException("cannot rename " + tmp + " to " + file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the verdict log at " + file, e);
        }
    }

    /** Forgets the answers of every window below {@code window}: their steps are in a completed checkpoint. */
    public void forgetWindowsBefore(long window) {
        try {
            Path rootPath = new Path(root);
            FileSystem fs = rootPath.getFileSystem();
            if (!fs.exists(rootPath)) {
                return;
            }
            FileStatus[] entries = fs.listStatus(rootPath);
            for (FileStatus s : entries == null ? new FileStatus[0] : entries) {
                String name = s.getPath().getName();
                if (s.isDir() && name.startsWith("w-") && Long.parseLong(name.substring(2)) < window) {
                    fs.delete(s.getPath(), true);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cleaning the verdict log at " + root, e);
        }
    }

    /** Windows with answers kept (for tests and diagnostics). */
    public long windowsKept() {
        try {
            Path rootPath = new Path(root);
            FileSystem fs = rootPath.getFileSystem();
            if (!fs.exists(rootPath)) {
                return 0;
            }
            FileStatus[] entries = fs.listStatus(rootPath);
            return entries == null ? 0 : java.util.Arrays.stream(entries)
                    .filter(s -> s.isDir() && s.getPath().getName().startsWith("w-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
