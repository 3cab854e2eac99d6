package io.flinksip.deadletter;

import io.flinksip.schema.DeadLetter;
import io.flinksip.schema.Sample;
import org.apache.flink.util.OutputTag;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Dead letters: every input that cannot be trained on leaves the pipeline here, with the stage, a short reason code,
 * a human-readable detail and (a prefix of) the original payload, and is counted. Reason codes are stable strings
 * (they are metric names and what users alert on).
 */
public final class DeadLetters {
    /** The side output every stage sends its dead letters to. */
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {
    };

    /** Payloads are kept up to this size; larger ones are truncated and flagged. */
    public static final int MAX_PAYLOAD_BYTES = 4096;

    private DeadLetters() {
    }

    /**
     * A dead letter for a sample; once the sample has been sequenced it carries the sample's shard, sequence number and
     * step window, so the learner counts it against its window instead of waiting for it.
     */
    public static DeadLetter ofSample(String stage, String reason, String detail, Sample sample) {
        DeadLetter letter = of(stage, reason, detail, sample.getDocId(), sample.getSampleIndex(), null);
        if (sample.getSeq() >= 0) {
            letter.setShard(sample.getShard());
            letter.setSeq(sample.getSeq());
            letter.setWindow(sample.getWindow());
        }
        return letter;
    }

    public static DeadLetter of(String stage, String reason, String detail, String docId, Integer sampleIndex,
                                byte[] payload) {
        boolean truncated = payload != null && payload.length > MAX_PAYLOAD_BYTES;
        ByteBuffer kept = payload == null ? null
                : ByteBuffer.wrap(truncated ? Arrays.copyOf(payload, MAX_PAYLOAD_BYTES) : payload);
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setReason(reason)
                .setDetail(detail == null ? "" : detail.length() > 2000 ? detail.substring(0, 2000) + "..." : detail)
                .setDocId(docId)
                .setSampleIndex(sampleIndex)
                .setPayload(kept)
                .setPayloadTruncated(truncated)
                .setTimeMillis(System.currentTimeMillis())
                .build();
    }
}
