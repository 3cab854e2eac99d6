package io.flinksip.weights;

import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * float32 arrays as raw little-endian bytes, the layout of every weight and state file the job writes (and of
 * safetensors), moved through one reusable buffer; and a stream that counts what it reads, to hold against a
 * manifest's size.
 */
public final class FloatStreams {
    /** The buffer size the callers reuse: 1 MiB. */
    public static final int BUFFER_BYTES = 1 << 20;

    private FloatStreams() {
    }

    public static void write(OutputStream out, float[] values, byte[] buffer) throws IOException {
        ByteBuffer view = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        int i = 0;
        while (i < values.length) {
            int n = Math.min(values.length - i, buffer.length / 4);
            view.clear();
            view.asFloatBuffer().put(values, i, n);
            out.write(buffer, 0, n * 4);
            i += n;
        }
    }

    public static float[] read(DataInputStream in, int size, byte[] buffer) throws IOException {
        float[] values = new float[size];
        int done = 0;
        while (done < size) {
            int n = Math.min(size - done, buffer.length / 4);
            in.readFully(buffer, 0, n * 4);
            ByteBuffer.wrap(buffer, 0, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, done, n);
            done += n;
        }
        return values;
    }

    /** Counts the bytes read through it. */
    public static final class Counting extends FilterInputStream {
        private long count;

        public Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        public long count() {
            return count;
        }
    }
}
