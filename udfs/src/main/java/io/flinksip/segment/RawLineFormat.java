package io.flinksip.segment;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a file as newline-separated raw lines for the FileSource (compressed files such as {@code .gz} are
 * decompressed by the source by extension). A line longer than {@code maxLineBytes} is cut there and flagged, and the
 * reader skips to the next newline, so one giant document cannot exhaust memory.
 */
public final class RawLineFormat extends SimpleStreamFormat<RawLine> {
    private static final long serialVersionUID = 1L;

    private final int maxLineBytes;

    public RawLineFormat(int maxLineBytes) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("maxLineBytes must be >= 16");
        }
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public StreamFormat.Reader<RawLine> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader(new BufferedInputStream(stream, 1 << 16), maxLineBytes);
    }

    @Override
    public TypeInformation<RawLine> getProducedType() {
        return TypeInformation.of(RawLine.class);
    }

    private static final class LineReader implements StreamFormat.Reader<RawLine> {
        private final InputStream in;
        private final int max;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineReader(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        @Override
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
}
