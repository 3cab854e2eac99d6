package io.flinksip.segment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into newline-separated {@link RawLine}s: a trailing carriage return is removed, a final line
 * without a newline still counts, and a line longer than {@code maxLineBytes} is cut there and flagged while the rest
 * of it is skipped, so one giant document cannot exhaust memory. The job's file source and the run's input census
 * both read lines with it, so they agree on what a line is.
 */
public final class RawLineReader implements AutoCloseable {
    private final InputStream in;
    private final int max;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    public RawLineReader(InputStream in, int maxLineBytes) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("maxLineBytes must be >= 16");
        }
        this.in = in;
        this.max = maxLineBytes;
    }

    /** The next line, or null at the end of the stream. */
    public RawLine read() throws IOException {
        line.reset();
        long length = 0;
        int b;
        boolean sawAny = false;
        while ((b = in.read()) != -1) {
            sawAny = true;
            if (b == '\n') {
                break;
            }
            if (length < max) {
                line.write(b);
            }
            length++;
        }
        if (!sawAny) {
            return null;
        }
        byte[] bytes = line.toByteArray();
        if (bytes.length > 0 && bytes[bytes.length - 1] == '\r' && length <= max) {
            bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1);
            length--;
        }
        return new RawLine(bytes, length > max, length);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
