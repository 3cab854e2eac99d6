package io.flinksip.job.kafka;

import io.flinksip.schema.PolicyUpdate;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks, after a run, that the policy-updates topic holds (committed) every step the job committed to its own
 * outputs. The one way exactly-once Kafka output loses data is a transaction the broker aborts after Flink's
 * checkpoint completed (a broker down for longer than the transaction timeout); Flink only logs that, so the run
 * looks for it.
 */
public final class KafkaOutputAudit {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private KafkaOutputAudit() {
    }

    /** The steps of {@code expected} that no committed record of the policy-updates topic carries. */
    public static Set<Long> missingSteps(Configuration conf, Set<Long> expected) throws IOException {
        Properties p = KafkaOptions.clientProperties(conf);
        p.put("bootstrap.servers", conf.get(KafkaOptions.BOOTSTRAP_SERVERS));
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        String topic = conf.get(KafkaOptions.UPDATES_TOPIC);
        SpecificDatumReader<PolicyUpdate> reader = new SpecificDatumReader<>(PolicyUpdate.class);
        Set<Long> missing = new TreeSet<>(expected);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, DEADLINE).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, DEADLINE);
            while (!missing.isEmpty() && !reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("could not read " + topic + " to its end within " + DEADLINE);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        missing.remove(reader.read(null, DecoderFactory.get().binaryDecoder(r.value(), null))
                                .getStep());
                    } catch (IOException | RuntimeException notAnUpdate) {
                        // another writer's record: not ours to judge
                    }
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IOException("could not read " + topic + ": " + e.getMessage(), e);
        }
        return missing;
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
