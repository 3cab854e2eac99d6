package io.flinksip.weights;

import io.flinksip.schema.WeightFile;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The checksum a manifest holds for a weight or learner-state file, computed while the file is written or read.
 *
 * <p>Versions are checked on every load by every rollout replica, so the check is on the path of every new version:
 * CRC32C runs at memory speed (hardware instructions, about 8 GB/s here) where SHA-256 managed under 1 GB/s and took
 * more than half of a 94 M-parameter model's publish and load. A checksum stored beside the file in the same store
 * protects against accidental damage (truncation, a torn copy, bit rot) and nothing more, whatever its algorithm:
 * whoever can replace the file can replace the manifest. Manifests written before 0.2 carry SHA-256; they still verify.
 */
public final class WeightChecksum {
    private final CRC32C crc;
    private final MessageDigest sha;

    private WeightChecksum(CRC32C crc, MessageDigest sha) {
        this.crc = crc;
        this.sha = sha;
    }

    /** What the writer of a file computes: a CRC32C. */
    public static WeightChecksum forWriting() {
        return new WeightChecksum(new CRC32C(), null);
    }

    /** What a reader checks {@code expected} with: its CRC32C where it has one, else its SHA-256. */
    static WeightChecksum forChecking(WeightFile expected) {
        return forChecking(expected.getPath().toString(), expected.getCrc32c(),
                expected.getSha256() == null ? null : expected.getSha256().toString());
    }

    /** What a reader checks a file with: its CRC32C where the manifest has one, else its SHA-256. */
    public static WeightChecksum forChecking(String path, Long crc32c, String sha256) {
        if (crc32c != null) {
            return new WeightChecksum(new CRC32C(), null);
        }
        if (sha256 == null) {
            throw new IllegalArgumentException("manifest entry " + path + " has no checksum");
        }
        try {
            return new WeightChecksum(null, MessageDigest.getInstance("SHA-256"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void update(byte[] bytes, int offset, int length) {
        if (crc != null) {
            crc.update(bytes, offset, length);
        } else {
            sha.update(bytes, offset, length);
        }
    }

    void update(ByteBuffer bytes) {
        if (crc != null) {
            crc.update(bytes);
        } else {
            sha.update(bytes);
        }
    }

    /** Passes writes through to {@code out}, adding them to this checksum. */
    public OutputStream wrap(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                update(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                update(b, off, len);
            }
        };
    }

    /** Passes reads through from {@code in}, adding what they return to this checksum. */
    public InputStream wrap(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    update(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    update(b, off, n);
                }
                return n;
            }
        };
    }

    /** The manifest entry for a file of {@code size} bytes with the bytes seen so far. */
    WeightFile entry(String path, long size) {
        return WeightFile.newBuilder().setPath(path).setSizeBytes(size).setCrc32c(crc.getValue()).build();
    }

    /** The CRC32C of the bytes seen (a writer's checksum). */
    public long crc32c() {
        return crc.getValue();
    }

    /**
     * Null where the bytes seen match {@code expected} (size and checksum); otherwise why not, for an error message
     * that names both sides.
     */
    String mismatch(WeightFile expected, long size) {
        return mismatch(size, expected.getSizeBytes(), expected.getCrc32c(),
                expected.getSha256() == null ? null : expected.getSha256().toString());
    }

    /** As {@link #mismatch(WeightFile, long)}, for a manifest entry of another format. */
    public String mismatch(long size, long expectedSize, Long expectedCrc32c, String expectedSha256) {
        String actual = crc != null ? "CRC32C " + crc.getValue() : "SHA-256 " + HexFormat.of().formatHex(sha.digest());
        String wanted = crc != null ? "CRC32C " + expectedCrc32c : "SHA-256 " + expectedSha256;
        if (size == expectedSize && actual.equals(wanted)) {
            return null;
        }
        return size + " bytes, " + actual + "; manifest: " + expectedSize + " bytes, " + wanted;
    }
}
