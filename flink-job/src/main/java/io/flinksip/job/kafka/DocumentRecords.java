package io.flinksip.job.kafka;

import io.flinksip.segment.RawLine;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka records to raw input records: the value bytes and the record timestamp, undecoded. Decoding happens in the
 * segment stage, so a malformed value becomes a dead letter instead of failing the source (and the job) forever.
 */
final class DocumentRecords implements KafkaRecordDeserializationSchema<RawLine> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawLine> out) {
        out.collect(RawLine.avro(record.value(), record.timestamp(), record.partition()));
    }

    @Override
    public TypeInformation<RawLine> getProducedType() {
        return TypeInformation.of(RawLine.class);
    }
}
