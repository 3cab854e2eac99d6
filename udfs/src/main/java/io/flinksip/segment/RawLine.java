package io.flinksip.segment;

/**
 * One line of a JSONL input file, as raw bytes: decoding is left to the parser so that invalid UTF-8 is detected and
 * dead-lettered instead of being silently replaced. A Flink POJO.
 */
public class RawLine {
    /** The line's bytes without the newline; at most the reader's limit. */
    public byte[] bytes;
    /** Whether the line was longer than the limit and cut. */
    public boolean truncated;
    /** The line's full length in bytes. */
    public long length;

    public RawLine() {
    }

    public RawLine(byte[] bytes, boolean truncated, long length) {
        this.bytes = bytes;
        this.truncated = truncated;
        this.length = length;
    }
}
