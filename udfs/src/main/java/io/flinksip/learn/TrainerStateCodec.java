package io.flinksip.learn;

import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaConfigCodec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Serialises a {@link TrainerState} to a list of byte chunks and back, bit-exactly.
 *
 * <p>Chunk 0 is a small header (format version, model shape, step, RNG, parameter names and sizes); the float data
 * follow as raw little-endian float32 in chunks of at most {@code maxChunkBytes}. Chunking keeps every value far below
 * the 2 GiB limit of RocksDB's Java bridge and lets incremental checkpoints share unchanged chunks.
 */
public final class TrainerStateCodec {
    /** Bumped on any layout change; readers reject versions they do not know. */
    public static final int FORMAT_VERSION = 1;
    public static final int DEFAULT_MAX_CHUNK_BYTES = 64 << 20;
    private static final int MAGIC = 0x46534950; // "FSIP"

    private TrainerStateCodec() {
    }

    public static List<byte[]> encode(TrainerState state, int maxChunkBytes) {
        if (maxChunkBytes < 4 || maxChunkBytes % 4 != 0) {
            throw new IllegalArgumentException("maxChunkBytes must be a positive multiple of 4");
        }
        List<byte[]> chunks = new ArrayList<>();
        chunks.add(header(state));
        FloatChunkWriter writer = new FloatChunkWriter(chunks, maxChunkBytes, totalFloats(state));
        writeAll(writer, state.parameters());
        writeAll(writer, state.firstMoments());
        writeAll(writer, state.secondMoments());
        if (state.referenceWeights() != null) {
            writeAll(writer, state.referenceWeights());
        }
        writer.finish();
        return chunks;
    }

    /**
     * Weights alone (no header: the reader knows the shapes) as raw little-endian float32 in chunks of at most
     * {@code maxChunkBytes}; the learner keeps strict mode's previous versions so.
     */
    public static List<byte[]> encodeWeights(float[][] weights, int maxChunkBytes) {
        long total = 0;
        for (float[] w : weights) {
            total += w.length;
        }
        List<byte[]> chunks = new ArrayList<>();
        chunks.add(new byte[0]); // the readers skip chunk 0, the header of a full state
        FloatChunkWriter writer = new FloatChunkWriter(chunks, maxChunkBytes, total);
        writeAll(writer, weights);
        writer.finish();
        return chunks.subList(1, chunks.size());
    }

    public static float[][] decodeWeights(List<byte[]> chunks, int[] sizes) {
        List<byte[]> withHeader = new ArrayList<>(chunks.size() + 1);
        withHeader.add(new byte[0]);
        withHeader.addAll(chunks);
        FloatChunkReader reader = new FloatChunkReader(withHeader);
        float[][] out = readAll(reader, sizes);
        reader.requireExhausted();
        return out;
    }

    public static TrainerState decode(List<byte[]> chunks) {
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("no chunks");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(chunks.get(0)))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a flink-sip trainer state");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unsupported trainer state format " + version
                        + " (this build reads " + FORMAT_VERSION + ")");
            }
            LlamaConfig config = LlamaConfigCodec.read(in);
            long step = in.readLong();
            long rngState = in.readLong();
            long refSyncedAt = in.readLong();
            boolean hasReference = in.readBoolean();
            int n = in.readInt();
            List<String> names = new ArrayList<>(n);
            int[] sizes = new int[n];
            for (int i = 0; i < n; i++) {
                names.add(in.readUTF());
                sizes[i] = in.readInt();
            }
            FloatChunkReader reader = new FloatChunkReader(chunks);
            float[][] params = readAll(reader, sizes);
            float[][] m = readAll(reader, sizes);
            float[][] v = readAll(reader, sizes);
            float[][] ref = hasReference ? readAll(reader, sizes) : null;
            reader.requireExhausted();
            return new TrainerState(config, step, rngState, List.copyOf(names), params, m, v, ref, refSyncedAt);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt trainer state header", e);
        }
    }

    private static byte[] header(TrainerState s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            LlamaConfigCodec.write(out, s.modelConfig());
            out.writeLong(s.step());
            out.writeLong(s.rngState());
            out.writeLong(s.referenceSyncedAtStep());
            out.writeBoolean(s.referenceWeights() != null);
            out.writeInt(s.parameterNames().size());
            for (int i = 0; i < s.parameterNames().size(); i++) {
                out.writeUTF(s.parameterNames().get(i));
                out.writeInt(s.parameters()[i].length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static long totalFloats(TrainerState s) {
        long per = 0;
        for (float[] p : s.parameters()) {
            per += p.length;
        }
        return per * (s.referenceWeights() != null ? 4 : 3);
    }

    private static void writeAll(FloatChunkWriter writer, float[][] arrays) {
        for (float[] a : arrays) {
            writer.write(a);
        }
    }

    private static float[][] readAll(FloatChunkReader reader, int[] sizes) {
        float[][] out = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            out[i] = new float[sizes[i]];
            reader.read(out[i]);
        }
        return out;
    }

    /** Packs floats into fixed-size chunks; the last chunk is trimmed to its content. */
    private static final class FloatChunkWriter {
        private final List<byte[]> chunks;
        private final int maxChunkBytes;
        private long remainingFloats;
        private byte[] current;
        private ByteBuffer buffer;

        FloatChunkWriter(List<byte[]> chunks, int maxChunkBytes, long totalFloats) {
            this.chunks = chunks;
            this.maxChunkBytes = maxChunkBytes;
            this.remainingFloats = totalFloats;
        }

        void write(float[] values) {
            int offset = 0;
            while (offset < values.length) {
                if (buffer == null || !buffer.hasRemaining()) {
                    startChunk();
                }
                int n = Math.min(values.length - offset, buffer.remaining() / 4);
                buffer.asFloatBuffer().put(values, offset, n);
                buffer.position(buffer.position() + n * 4);
                offset += n;
                remainingFloats -= n;
            }
        }

        private void startChunk() {
            long bytes = Math.min(maxChunkBytes, remainingFloats * 4);
            current = new byte[(int) bytes];
            buffer = ByteBuffer.wrap(current).order(ByteOrder.LITTLE_ENDIAN);
            chunks.add(current);
        }

        void finish() {
            if (remainingFloats != 0 || (buffer != null && buffer.hasRemaining())) {
                throw new IllegalStateException("float count mismatch while encoding trainer state");
            }
        }
    }

    private static final class FloatChunkReader {
        private final List<byte[]> chunks;
        private int next = 1;
        private ByteBuffer buffer;

        FloatChunkReader(List<byte[]> chunks) {
            this.chunks = chunks;
        }

        void read(float[] into) {
            int offset = 0;
            while (offset < into.length) {
                if (buffer == null || !buffer.hasRemaining()) {
                    if (next >= chunks.size()) {
                        throw new IllegalArgumentException("trainer state is truncated");
                    }
                    byte[] chunk = chunks.get(next++);
                    if (chunk.length % 4 != 0) {
                        throw new IllegalArgumentException("corrupt trainer state chunk of " + chunk.length + " bytes");
                    }
                    buffer = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
                }
                int n = Math.min(into.length - offset, buffer.remaining() / 4);
                buffer.asFloatBuffer().get(into, offset, n);
                buffer.position(buffer.position() + n * 4);
                offset += n;
            }
        }

        void requireExhausted() {
            if ((buffer != null && buffer.hasRemaining()) || next != chunks.size()) {
                throw new IllegalArgumentException("trainer state has trailing data");
            }
        }
    }
}
