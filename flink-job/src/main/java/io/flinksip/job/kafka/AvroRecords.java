package io.flinksip.job.kafka;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Avro records to Kafka records: binary Avro value (the project's .avsc, no registry framing), a string key, and an
 * explicit timestamp (records out of count-based steps would otherwise carry none the broker accepts).
 */
public final class AvroRecords<T extends SpecificRecordBase> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableKey<T> key;

    /** The record key, as a serialisable function. */
    public interface SerializableKey<T> extends Function<T, String>, java.io.Serializable {
    }

    AvroRecords(String topic, SerializableKey<T> key) {
        this.topic = topic;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, System.currentTimeMillis(),
                key.apply(element).getBytes(StandardCharsets.UTF_8), encode(element));
    }

    static <T extends SpecificRecordBase> byte[] encode(T record) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            @SuppressWarnings("unchecked")
            SpecificDatumWriter<T> writer = new SpecificDatumWriter<>((Class<T>) record.getClass());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
