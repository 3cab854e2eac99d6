package io.flinksip.segment;

/**
 * One input record as raw bytes: a line of a JSONL file, or the Avro-encoded value of a Kafka record. Decoding is
 * left to the parser so that invalid UTF-8 or Avro is detected and dead-lettered instead of being silently replaced
 * or failing the source. A Flink POJO.
 */
public class RawLine {
    /** The line's bytes without the newline; at most the reader's limit. */
    public byte[] bytes;
    /** Whether the line was longer than the limit and cut. */
    public boolean truncated;
    /** The line's full length in bytes. */
    public long length;
    /** Whether the bytes are an Avro-encoded {@code Document} (Kafka) rather than a JSON line. */
    public boolean avro;
    /** The record's timestamp (Kafka), used when the document carries no event time; 0 if none. */
    public long timestampMillis;
    /** The Kafka partition the record came from; -1 for file input. */
    public int partition = -1;

    public RawLine() {
    }

    public RawLine(byte[] bytes, boolean truncated, long length) {
        this.bytes = bytes;
        this.truncated = truncated;
        this.length = length;
    }

    /** An Avro-encoded document value, e.g. from Kafka. */
    public static RawLine avro(byte[] value, long timestampMillis, int partition) {
        RawLine r = new RawLine(value, false, value == null ? 0 : value.length);
        r.avro = true;
        r.timestampMillis = timestampMillis;
        r.partition = partition;
        return r;
    }
}
