package io.flinksip.segment;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a file as newline-separated raw lines ({@link RawLineReader}) for the FileSource (compressed files such as
 * {@code .gz} are decompressed by the source by extension).
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
        private final RawLineReader lines;

        LineReader(InputStream in, int max) {
            this.lines = new RawLineReader(in, max);
        }

        @Override
        public RawLine read() throws IOException {
            return lines.read();
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }
}
