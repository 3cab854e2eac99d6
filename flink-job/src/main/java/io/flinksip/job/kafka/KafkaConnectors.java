package io.flinksip.job.kafka;

import io.flinksip.segment.RawLine;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.util.Arrays;
import java.util.Properties;
import java.util.regex.Pattern;

/** The job's Kafka source and exactly-once sinks, from {@link KafkaOptions}. */
public final class KafkaConnectors {
    private KafkaConnectors() {
    }

    public static KafkaSource<RawLine> documents(Configuration conf) {
        KafkaSourceBuilder<RawLine> b = KafkaSource.<RawLine>builder()
                .setBootstrapServers(conf.get(KafkaOptions.BOOTSTRAP_SERVERS))
                .setGroupId(conf.get(KafkaOptions.GROUP_ID))
                .setDeserializer(new DocumentRecords())
                .setProperties(KafkaOptions.clientProperties(conf))
                .setProperty("isolation.level", "read_committed");
        if (conf.getOptional(KafkaOptions.INPUT_PATTERN).isPresent()) {
            b.setTopicPattern(Pattern.compile(conf.get(KafkaOptions.INPUT_PATTERN)));
        } else {
            b.setTopics(Arrays.stream(conf.get(KafkaOptions.INPUT_TOPICS).split(",")).map(String::trim)
                    .filter(t -> !t.isEmpty()).toList());
        }
        String start = conf.get(KafkaOptions.STARTING_OFFSETS);
        b.setStartingOffsets(switch (start) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            case "committed" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default -> throw new IllegalArgumentException(KafkaOptions.STARTING_OFFSETS.key()
                    + " must be earliest, latest or committed, not '" + start + "'");
        });
        if (conf.get(KafkaOptions.BOUNDED)) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /** An exactly-once sink of Avro values; one transactional-id prefix per topic. */
    public static <T extends SpecificRecordBase> KafkaSink<T> avro(Configuration conf, String topic,
                                                                   AvroRecords.SerializableKey<T> key) {
        Properties producer = KafkaOptions.clientProperties(conf);
        producer.setProperty("transaction.timeout.ms",
                String.valueOf(conf.get(KafkaOptions.TRANSACTION_TIMEOUT).toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(conf.get(KafkaOptions.BOOTSTRAP_SERVERS))
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(new AvroRecords<>(topic, key))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(conf.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX) + "-" + topic)
                .build();
    }
}
