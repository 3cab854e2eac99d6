package io.flinksip.job.kafka;

import io.flinksip.job.SipJob;
import io.flinksip.job.SipJobITCase;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.support.TestClusters;
import io.flinksip.job.support.TestCorpus;
import io.flinksip.job.support.InjectedFailures;
import io.flinksip.job.support.ReferenceMatchBackends;
import io.flinksip.schema.DeadLetter;
import io.flinksip.schema.Document;
import io.flinksip.schema.PolicyUpdate;
import io.flinksip.schema.TrainingExample;
import io.flinksip.tokenizer.ByteLevelBpeTokenizer;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.apache.flink.testutils.junit.SharedReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Avro documents in from a real (in-process KRaft) broker, Avro policy updates and dead letters out through
 * exactly-once Kafka sinks, with a crash and a failed checkpoint injected: read with read_committed, every document is
 * trained once or dead-lettered, and no policy update is duplicated.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KafkaPipelineITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.oneTaskManager();

    @RegisterExtension
    final SharedObjectsExtension shared = SharedObjectsExtension.create();

    private static KafkaClusterTestKit kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void avroDocumentsInExactlyOnceAvroOutAcrossFailures(@TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("documents", 2, (short) 1), new NewTopic("updates", 1, (short) 1),
                    new NewTopic("dead-letters", 1, (short) 1))).all().get();
        }
        List<String> texts = TestCorpus.texts(11, 48);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), "key.serializer", ByteArraySerializer.class,
                "value.serializer", ByteArraySerializer.class))) {
            for (int i = 0; i < texts.size(); i++) {
                Document d = Document.newBuilder().setId("k-" + i).setText(texts.get(i)).setSource("test")
                        .setEventTimeMillis(0).build();
                producer.send(new ProducerRecord<>("documents", d.getId().getBytes(StandardCharsets.UTF_8),
                        AvroRecords.encode(d)));
            }
            producer.send(new ProducerRecord<>("documents", "garbage".getBytes(), new byte[] {1, 2, 3, 4, 5}));
            producer.send(new ProducerRecord<>("documents", "empty".getBytes(), new byte[0]));
            Document blank = Document.newBuilder().setId("blank").setText("  ").setEventTimeMillis(1).build();
            producer.send(new ProducerRecord<>("documents", "blank".getBytes(), AvroRecords.encode(blank)));
            producer.flush();
        }
        ByteLevelBpeTokenizer tokenizer = new ByteLevelBpeTrainer(512).train(texts);
        tokenizer.save(dir.resolve("tokenizer.json"));

        Configuration conf = SipJobITCase.tinyJob(dir, SipOptions.Mode.SIP);
        conf.set(SipOptions.QUALITY_WEIGHT, 0.0);
        conf.set(SipOptions.SAFETY_WEIGHT, 0.0);
        conf.set(SipOptions.QUALITY_MODE, io.flinksip.judge.panel.PanelConfig.QualityMode.OFF);
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(KafkaOptions.INPUT_TOPICS, "documents");
        conf.set(KafkaOptions.BOUNDED, true);
        conf.set(KafkaOptions.UPDATES_TOPIC, "updates");
        conf.set(KafkaOptions.DEAD_LETTERS_TOPIC, "dead-letters");
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        conf.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        SharedReference<InjectedFailures.Plan> plan = shared.add(new InjectedFailures.Plan(16));
        SipJob.build(env, SipJob.Settings.builder(conf).tokenizerJson(Files.readString(dir.resolve("tokenizer.json")))
                .backends(new ReferenceMatchBackends(30)).weightsDir(dir.resolve("weights").toString()).build(),
                examples -> examples.map(new InjectedFailures<TrainingExample>(plan))
                        .returns(TypeInformation.of(TrainingExample.class)).uid("injected-failures"));
        env.execute("kafka pipeline");
        assertTrue(plan.get().crashed.get() && plan.get().failedInCheckpoint.get(), "both failures were injected");

        List<PolicyUpdate> updates = readCommitted("updates", PolicyUpdate.class);
        List<DeadLetter> dead = readCommitted("dead-letters", DeadLetter.class);
        Set<Long> steps = new HashSet<>();
        List<String> trained = new ArrayList<>();
        for (PolicyUpdate u : updates) {
            assertTrue(steps.add(u.getStep()), "step " + u.getStep() + " committed twice");
            trained.addAll(u.getTrainedSamples());
        }
        assertEquals(trained.size(), new HashSet<>(trained).size(), "no sample trained twice");
        assertEquals(texts.size(), trained.size(), "every good document trained once");
        assertEquals(3, dead.size(), "two malformed values and a blank document: " + dead);
        assertEquals(2, dead.stream().filter(d -> d.getReason().equals("malformed_avro")).count());
        assertEquals(1, dead.stream().filter(d -> d.getReason().equals("empty_document")).count());
    }

    @Test
    void strictModeNumbersEachPartitionAndTwoRunsOfOneTopicTrainTheSameSteps(@TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("strict-documents", 2, (short) 1))).all().get();
        }
        List<String> texts = TestCorpus.texts(13, 60);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), "key.serializer", ByteArraySerializer.class,
                "value.serializer", ByteArraySerializer.class))) {
            for (int i = 0; i < texts.size(); i++) {
                Document d = Document.newBuilder().setId("p-" + i).setText(texts.get(i)).setSource("test")
                        .setEventTimeMillis(0).build();
                int partition = i < 40 ? i % 2 : 0; // partition 1 ends after 20 documents, partition 0 goes on
                producer.send(new ProducerRecord<>("strict-documents", partition, null, d.getId().getBytes(
                        StandardCharsets.UTF_8), AvroRecords.encode(d)));
            }
            producer.flush();
        }
        ByteLevelBpeTokenizer tokenizer = new ByteLevelBpeTrainer(512).train(texts);
        tokenizer.save(dir.resolve("tokenizer.json"));
        String tokenizerJson = Files.readString(dir.resolve("tokenizer.json"));

        List<List<String>> runs = new ArrayList<>();
        for (String run : List.of("first", "second")) {
            Configuration conf = strictKafkaJob(dir.resolve(run), 2);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            SipJob.build(env, SipJob.Settings.builder(conf).tokenizerJson(tokenizerJson)
                    .backends(new ReferenceMatchBackends(0))
                    .weightsDir(dir.resolve(run).resolve("weights").toString())
                    .outputDir(dir.resolve(run).resolve("out").toString()).build());
            env.execute("strict kafka " + run);
            List<String> steps = new ArrayList<>();
            for (var u : io.flinksip.job.support.JobOutputs.of(dir.resolve(run)).updatesWithoutWallClock()) {
                steps.add(u.toString());
            }
            runs.add(steps);
        }
        assertEquals(runs.get(0), runs.get(1), "two runs over the same partitions train the same steps");
        var updates = io.flinksip.job.support.JobOutputs.of(dir.resolve("first"));
        Set<String> trained = new HashSet<>(updates.trainedSamples());
        trained.addAll(updates.deadLetteredSamples());
        assertEquals(texts.size(), trained.size(), "every document trained or dead-lettered");
        assertEquals(20, updates.updates().size(),
                "partition 0 holds 40 documents, partition 1 20: 10 windows of 2 + 2, then 10 of partition 0's 2");
        for (var u : updates.updates().subList(10, 20)) {
            u.get("trainedPositions").forEach(p -> assertTrue(p.asText().startsWith("0/"),
                    "after partition 1 ended, its windows hold partition 0's samples only: " + u));
        }

        Configuration wrongShards = strictKafkaJob(dir.resolve("wrong"), 3);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SipJob.build(StreamExecutionEnvironment.getExecutionEnvironment(wrongShards),
                        SipJob.Settings.builder(wrongShards).tokenizerJson(tokenizerJson)
                                .backends(new ReferenceMatchBackends(0)).weightsDir(dir.resolve("wrong").toString())
                                .build()));
        assertTrue(e.getMessage().contains("must be the input topic's number of partitions, 2"), e.getMessage());
    }

    private static Configuration strictKafkaJob(Path dir, int shards) {
        Configuration conf = SipJobITCase.tinyJob(dir, SipOptions.Mode.SIP);
        conf.set(SipOptions.QUALITY_WEIGHT, 0.0);
        conf.set(SipOptions.SAFETY_WEIGHT, 0.0);
        conf.set(SipOptions.QUALITY_MODE, io.flinksip.judge.panel.PanelConfig.QualityMode.OFF);
        conf.set(SipOptions.SYNC_MODE, io.flinksip.sync.SyncMode.STRICT);
        conf.set(SipOptions.SYNC_SHARDS, shards);
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(KafkaOptions.INPUT_TOPICS, "strict-documents");
        conf.set(KafkaOptions.GROUP_ID, "strict-" + dir.getFileName());
        conf.set(KafkaOptions.BOUNDED, true);
        return conf;
    }

    private static <T extends SpecificRecordBase> List<T> readCommitted(String topic, Class<T> type) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("group.id", "check-" + topic);
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 10_000;
            int emptyPolls = 0;
            while (System.currentTimeMillis() < deadline && emptyPolls < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    try {
                        out.add(reader.read(null, DecoderFactory.get().binaryDecoder(r.value(), null)));
                    } catch (java.io.IOException e) {
                        throw new AssertionError("not Avro on " + topic, e);
                    }
                }
            }
        }
        return out;
    }
}
