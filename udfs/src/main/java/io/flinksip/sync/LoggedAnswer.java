package io.flinksip.sync;

import io.flinksip.backend.Failures;
import io.flinksip.backend.JudgeException;
import io.flinksip.deadletter.DeadLetters;
import io.flinksip.schema.DeadLetter;
import io.flinksip.schema.JudgedSet;
import io.flinksip.schema.Sample;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One answer in the {@link VerdictLog}: a judged set, a rewrite, or the dead letter a call ended in; a tag byte, then
 * the Avro binary encoding (or UTF-8 text for a rewrite).
 *
 * @param judged the panel's judgement of a candidate set, or null
 * @param rewrite the rewriter's text, or null
 * @param failed the dead letter the stage produced, or null
 */
public record LoggedAnswer(JudgedSet judged, String rewrite, DeadLetter failed) {
    private static final byte JUDGED = 'J';
    private static final byte REWRITE = 'R';
    private static final byte FAILED = 'D';

    public static LoggedAnswer judged(JudgedSet set) {
        return new LoggedAnswer(set, null, null);
    }

    public static LoggedAnswer rewrite(String text) {
        return new LoggedAnswer(null, text, null);
    }

    /**
     * The answer of a call that failed: a dead letter of the sample with the failure's reason code
     * ({@link Failures#reason}), its message and, for a reply that could not be parsed, the reply itself.
     */
    public static LoggedAnswer failure(String stage, Throwable error, Sample sample) {
        Throwable cause = Failures.cause(error);
        String detail = cause.getMessage();
        if (cause instanceof JudgeException je && je.rawReply() != null) {
            detail += " | reply: " + je.rawReply();
        }
        return failed(DeadLetters.ofSample(stage, Failures.reason(stage, cause), detail, sample));
    }

    public static LoggedAnswer failed(DeadLetter letter) {
        return new LoggedAnswer(null, null, letter);
    }

    public byte[] encode() {
        if (rewrite != null) {
            byte[] text = rewrite.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[text.length + 1];
            out[0] = REWRITE;
            System.arraycopy(text, 0, out, 1, text.length);
            return out;
        }
        return avro(judged != null ? JUDGED : FAILED, judged != null ? judged : failed);
    }

    public static LoggedAnswer decode(byte[] bytes) {
        byte[] body = Arrays.copyOfRange(bytes, 1, bytes.length);
        return switch (bytes[0]) {
            case REWRITE -> rewrite(new String(body, StandardCharsets.UTF_8));
            case JUDGED -> judged(read(body, JudgedSet.class));
            case FAILED -> failed(read(body, DeadLetter.class));
            default -> throw new IllegalArgumentException("not a verdict-log answer (tag " + bytes[0] + ")");
        };
    }

    private static byte[] avro(byte tag, SpecificRecordBase record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(tag);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            @SuppressWarnings("unchecked")
            SpecificDatumWriter<SpecificRecordBase> writer = new SpecificDatumWriter<>(
                    (Class<SpecificRecordBase>) record.getClass());
            writer.write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T extends SpecificRecordBase> T read(byte[] body, Class<T> type) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(body, null);
            return new SpecificDatumReader<>(type).read(null, decoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
