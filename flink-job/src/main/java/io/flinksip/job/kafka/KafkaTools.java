package io.flinksip.job.kafka;

import io.flinksip.job.JsonlInput;
import io.flinksip.schema.PolicyUpdate;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/** The {@code produce} and {@code tail} commands: feed a corpus into a topic, watch policy updates. */
public final class KafkaTools {
    private KafkaTools() {
    }

    /**
     * Loads JSONL (plain or .gz) into a topic as Avro Documents keyed by id, read with the job's own rules; lines the
     * job would dead-letter are reported by reason and skipped. Returns the number of documents sent.
     */
    public static long produce(String bootstrap, String topic, Path input, int maxLineBytes, Properties extra,
                               PrintStream out)
            throws IOException {
        Properties p = new Properties();
        p.putAll(extra);
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("enable.idempotence", "true");
        long[] sent = new long[1];
        AtomicReference<Exception> failed = new AtomicReference<>();
        JsonlInput.Counts counts;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            // The job's own reader and rules: a line it would dead-letter is not sent, and is reported by reason.
            counts = JsonlInput.documents(input, maxLineBytes, d -> {
                // A broker that refuses us (wrong credentials, TLS) fails the command at once, not line by line.
                producer.send(new ProducerRecord<>(topic, d.getId().getBytes(StandardCharsets.UTF_8),
                        AvroRecords.encode(d)), (metadata, e) -> {
                            if (e != null) {
                                failed.compareAndSet(null, e);
                            }
                        });
                sent[0]++;
                return failed.get() == null;
            });
            producer.flush();
        } catch (KafkaException e) {
            failed.compareAndSet(null, e);
            counts = null;
        }
        if (failed.get() != null) {
            throw new IOException("could not write to " + topic + " at " + bootstrap + ": "
                    + failed.get().getClass().getSimpleName() + ": " + failed.get().getMessage(), failed.get());
        }
        out.printf("produced    %d documents to %s (%d lines the job would dead-letter skipped%s, %d blank)%n",
                sent[0], topic, counts.rejectedLines(), counts.rejected().isEmpty() ? "" : ": " + counts.rejected(),
                counts.blank());
        return sent[0];
    }

    /** Prints PolicyUpdates of a topic (committed records only) until {@code limit} or the time is up. */
    public static void tail(String bootstrap, String topic, Properties extra, int limit, Duration timeout,
                            PrintStream out) throws IOException {
        Properties p = new Properties();
        p.putAll(extra);
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "flink-sip-tail-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        SpecificDatumReader<PolicyUpdate> reader = new SpecificDatumReader<>(PolicyUpdate.class);
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        int seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            while (System.currentTimeMillis() < deadline && seen < limit) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    PolicyUpdate u;
                    try {
                        u = reader.read(null, DecoderFactory.get().binaryDecoder(r.value(), null));
                    } catch (IOException | RuntimeException e) {
                        throw new IOException(topic + " partition " + r.partition() + " offset " + r.offset()
                                + " is not an Avro PolicyUpdate (" + e + "); is this the policy-updates topic?", e);
                    }
                    out.println(GenericData.get().toString(u));
                    seen++;
                }
            }
        }
    }
}
