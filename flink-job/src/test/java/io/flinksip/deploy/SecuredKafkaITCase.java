package io.flinksip.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.job.support.FlinkSipProcess;
import io.flinksip.job.support.KafkaBrokerProcess;
import io.flinksip.job.support.TestCorpus;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kafka.sh in sasl-ssl mode: TLS with SCRAM logins and no plaintext door. A client without credentials and a
 * client with a wrong password are refused with errors that say so; `produce`, the job and `tail` work through the
 * secured listener with the credentials read from the client config file, and no password appears in any output.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SecuredKafkaITCase {

    @Test
    void onlyClientsWithTheCredentialsFileGetInAndTheJobTrainsThroughTheSecuredListener(@TempDir Path dir)
            throws Exception {
        Path log = dir.resolve("commands.log");
        try (KafkaBrokerProcess kafka = new KafkaBrokerProcess(dir.resolve("kafka"), "sasl-ssl", log)) {
            kafka.start();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    kafka.clientConfig())), "the client settings hold a password: owner only");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    kafka.work.resolve("secrets"))));
            assertFalse(Files.exists(kafka.work.resolve("format.args")), "the SCRAM bootstrap file is gone");
            List<String> secrets = new ArrayList<>();
            for (String name : List.of("sip", "admin", "store")) {
                secrets.add(Files.readString(kafka.work.resolve("secrets").resolve(name + ".password")).trim());
            }
            kafka.createTopic("documents", 2);
            kafka.createTopic("updates", 1);
            TestCorpus corpus = TestCorpus.create(dir, 40, List.of());
            String docs = corpus.input.resolve("docs.jsonl").toString();

            Path refused = dir.resolve("refused.log");
            int noCredentials = FlinkSipProcess.run(refused, 60, "produce", "--bootstrap", kafka.bootstrap(),
                    "--topic", "documents", "--input", docs);
            assertEquals(2, noCredentials, "a client without credentials is a user error, refused before it sends");
            assertTrue(Files.readString(refused).contains("answers with TLS, but the Kafka clients are set up for "
                    + "plaintext"), Files.readString(refused));

            ExecutionException wrongPassword = assertThrows(ExecutionException.class, () -> {
                try (Admin admin = Admin.create(withPassword(kafka, "not-the-password"))) {
                    admin.listTopics().names().get(30, TimeUnit.SECONDS);
                }
            });
            assertInstanceOf(SaslAuthenticationException.class, wrongPassword.getCause(), wrongPassword.toString());

            Path out = dir.resolve("job.log");
            assertEquals(0, FlinkSipProcess.run(out, 120, "produce", "--bootstrap", kafka.bootstrap(), "--topic",
                    "documents", "--input", docs, "--client-config", kafka.clientConfig().toString()),
                    Files.readString(out));
            Path tokenizer = dir.resolve("tokenizer.json");
            assertEquals(0, FlinkSipProcess.run(out, 300, "run", "--mode", "ntp", "--work", dir.resolve("work")
                    .toString(), "-Dsip.kafka.bootstrap-servers=" + kafka.bootstrap(),
                    "-Dsip.kafka.input.topics=documents", "-Dsip.kafka.input.bounded=true",
                    "-Dsip.kafka.output.policy-updates-topic=updates",
                    "-Dsip.kafka.client-config-file=" + kafka.clientConfig(), "-Dsip.tokenizer.path=" + tokenizer,
                    "-Dsip.segment.suffix-tokens=12", "-Dsip.segment.max-prefix-tokens=32",
                    "-Dsip.segment.min-prefix-tokens=8", "-Dsip.learner.examples-per-step=4",
                    "-Dsip.model.hidden-size=32", "-Dsip.model.intermediate-size=64", "-Dsip.model.layers=1",
                    "-Dsip.model.heads=2"), Files.readString(out));

            Process tail = FlinkSipProcess.start(dir.resolve("tail.err"), "tail", "--bootstrap", kafka.bootstrap(),
                    "--topic", "updates", "--limit", "10", "--seconds", "60", "--client-config",
                    kafka.clientConfig().toString());
            assertTrue(tail.waitFor(90, TimeUnit.SECONDS) && tail.exitValue() == 0, Files.readString(
                    dir.resolve("tail.err")));
            List<String> trained = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("tail.err"))) {
                if (line.startsWith("{")) {
                    new ObjectMapper().readTree(line).get("trainedSamples").forEach(t -> trained.add(documentOf(t.asText())));
                }
            }
            assertEquals(40, trained.size(), "ten committed updates of four documents, read through TLS + SCRAM");
            assertEquals(new HashSet<>(corpus.ids), new HashSet<>(trained), "every produced document trained once");

            for (Path file : everyFile(dir, kafka.work.resolve("secrets"))) {
                String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertFalse(text.contains(secret), "a password appears in " + file);
                }
            }
        }
    }

    /** Every file the commands and the job wrote, except the ones meant to hold the secrets. */
    private static List<Path> everyFile(Path dir, Path secrets) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.startsWith(secrets))
                    .filter(p -> !p.getFileName().toString().equals("client.properties"))
                    .filter(p -> !p.getFileName().toString().equals("server.properties")).toList();
        }
    }

    private static Properties withPassword(KafkaBrokerProcess kafka, String password) throws Exception {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(kafka.clientConfig())) {
            p.load(r);
        }
        p.put("bootstrap.servers", kafka.bootstrap());
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"sip\" password=\"" + password + "\";");
        return p;
    }

    /** A sample id is the document id and the sample's index in it ({@code doc-7#0}). */
    private static String documentOf(String sample) {
        return sample.substring(0, sample.lastIndexOf('#'));
    }
}
