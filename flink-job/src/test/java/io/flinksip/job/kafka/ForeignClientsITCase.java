package io.flinksip.job.kafka;

import io.flinksip.job.FlinkSipCliAccess;
import io.flinksip.job.SipJob;
import io.flinksip.job.SipJobITCase;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.support.TestClusters;
import io.flinksip.job.support.TestCorpus;
import io.flinksip.job.support.KeywordBackends;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Documents written by non-Java clients, Debian's python3-avro (with the project's .avsc) and kcat, are read by the
 * job; the {@code tail} command reads its policy updates back. .ci/run installs both tools.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ForeignClientsITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.oneTaskManager();

    private static final String PYTHON = "/usr/bin/python3";

    private static int exec(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("exec.log").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        return p.exitValue();
    }

    @Test
    void documentsFromPythonAvroAndKcatAreTrainedOn(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kcat")) && Files.isExecutable(Path.of(PYTHON))
                && exec(dir, PYTHON, "-c", "import avro") == 0, "needs Debian's kcat and python3-avro");
        Path schema = Path.of("..", "schemas", "src", "main", "avro", "Document.avsc").toAbsolutePath();
        List<String> texts = TestCorpus.texts(5, 24);
        List<String> quoted = new ArrayList<>(); // documents have paragraphs: one JSON string per line
        for (String text : texts) {
            quoted.add(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text));
        }
        Files.write(dir.resolve("texts.txt"), quoted);
        Files.writeString(dir.resolve("write.py"), String.join("\n",
                "import avro.schema, avro.io, io, json, sys",
                "schema = avro.schema.parse(open(sys.argv[1]).read())",
                "for i, text in enumerate(map(json.loads, open('texts.txt').read().splitlines())):",
                "    buf = io.BytesIO()",
                "    avro.io.DatumWriter(schema).write({'id': 'py-%d' % i, 'text': text, 'source': 'python',",
                "        'eventTimeMillis': 1700000000000 + i, 'attributes': {'writer': 'python3-avro'}},",
                "        avro.io.BinaryEncoder(buf))",
                "    open('doc-%03d.avro' % i, 'wb').write(buf.getvalue())", ""));
        assertEquals(0, exec(dir, PYTHON, "write.py", schema.toString()), Files.readString(dir.resolve("exec.log")));

        try (KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1").build()) {
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("docs", 1, (short) 1), new NewTopic("updates", 1, (short) 1)))
                        .all().get();
            }
            List<String> kcat = new ArrayList<>(List.of("/usr/bin/kcat", "-P", "-b", kafka.bootstrapServers(),
                    "-t", "docs"));
            for (int i = 0; i < texts.size(); i++) {
                kcat.add(String.format("doc-%03d.avro", i)); // one file, one message
            }
            assertEquals(0, exec(dir, kcat.toArray(new String[0])), Files.readString(dir.resolve("exec.log")));

            ByteLevelBpeTrainer trainer = new ByteLevelBpeTrainer(512);
            trainer.train(texts).save(dir.resolve("tokenizer.json"));
            Configuration conf = SipJobITCase.tinyJob(dir, SipOptions.Mode.NTP);
            conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(KafkaOptions.INPUT_TOPICS, "docs");
            conf.set(KafkaOptions.BOUNDED, true);
            conf.set(KafkaOptions.UPDATES_TOPIC, "updates");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            SipJob.build(env, SipJob.Settings.builder(conf)
                    .tokenizerJson(Files.readString(dir.resolve("tokenizer.json"))).backends(new KeywordBackends())
                    .weightsDir(dir.resolve("weights").toString()).outputDir(dir.resolve("out").toString()).build());
            env.execute("foreign clients");

            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int tailed = FlinkSipCliAccess.run(new String[] {"tail", "--bootstrap=" + kafka.bootstrapServers(),
                "--topic", "updates", "--limit", "6", "--seconds", "20", "-Dsip.kafka.properties.client.id=tail-test"},
                    new PrintStream(printed, true, StandardCharsets.UTF_8), System.err);
            assertEquals(0, tailed, "the tail command with a client property");
            ByteArrayOutputStream refused = new ByteArrayOutputStream();
            int sasl = FlinkSipCliAccess.run(new String[] {"tail", "--bootstrap", kafka.bootstrapServers(), "--topic",
                "updates", "--seconds", "5", "-Dsip.kafka.properties.security.protocol=SASL_PLAINTEXT"},
                    System.out, new PrintStream(refused, true, StandardCharsets.UTF_8));
            assertEquals(1, sasl, "the passthrough reaches the client: SASL without a JAAS config is refused");
            assertTrue(refused.toString(StandardCharsets.UTF_8).contains("JAAS"), refused.toString());
            List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(6, lines.size(), "24 documents, 4 per step");
            int trained = 0;
            for (String line : lines) {
                trained += new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).get("examples").asInt();
            }
            assertEquals(24, trained, "every document written by python3-avro and kcat was trained on");
            assertTrue(lines.get(0).contains("py-"), "sample ids are the python-written document ids");
        }
    }
}
