package io.flinksip.job.kafka;

import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaClientSettingsTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"sip\" password=\"s3cret-value\";";

    @Test
    void theClientConfigFileReachesKafkaClientsAsReferencesThatTheClientResolves(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=" + JAAS
                + "\n");
        Configuration conf = new Configuration();
        conf.setString(KafkaOptions.CLIENT_CONFIG_FILE.key(), file.toString());
        conf.setString("sip.kafka.properties.compression.type", "zstd");

        Properties p = KafkaOptions.clientProperties(conf);
        assertFalse(p.toString().contains("s3cret-value"), "the password never passes through the job: " + p);
        assertEquals("zstd", p.getProperty("compression.type"), "passthrough keys stay as they are");

        Map<String, Object> client = new HashMap<>();
        p.forEach((k, v) -> client.put((String) k, v));
        client.put("bootstrap.servers", "localhost:1");
        AdminClientConfig resolved = new AdminClientConfig(client);
        assertEquals(JAAS, resolved.getPassword("sasl.jaas.config").value(), "the client reads the file itself");
        assertEquals("SASL_SSL", resolved.getString("security.protocol"));
    }

    @Test
    void aClientConfigFileThatCannotBeUsedFailsWithTheReason(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.setString(KafkaOptions.CLIENT_CONFIG_FILE.key(), dir.resolve("missing.properties").toString());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> KafkaOptions.clientProperties(conf));
        assertTrue(missing.getMessage().contains("cannot read"), missing.getMessage());

        Path both = dir.resolve("both.properties");
        Files.writeString(both, "security.protocol=SASL_SSL\n");
        conf.setString(KafkaOptions.CLIENT_CONFIG_FILE.key(), both.toString());
        conf.setString("sip.kafka.properties.security.protocol", "SSL");
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> KafkaOptions.clientProperties(conf));
        assertTrue(twice.getMessage().contains("set both in"), twice.getMessage());

        Path providers = dir.resolve("providers.properties");
        Files.writeString(providers, "config.providers=env\n");
        Configuration own = new Configuration();
        own.setString(KafkaOptions.CLIENT_CONFIG_FILE.key(), providers.toString());
        IllegalArgumentException provider = assertThrows(IllegalArgumentException.class,
                () -> KafkaOptions.clientProperties(own));
        assertTrue(provider.getMessage().contains("config providers are set by the job"), provider.getMessage());
    }

    @Test
    void aPlaintextClientPointedAtATlsListenerIsToldSoAndOtherServersPass() throws Exception {
        try (ServerSocket tls = new ServerSocket(0); ServerSocket plain = new ServerSocket(0)) {
            Thread alert = answer(tls, new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50});
            Thread kafka = answer(plain, new byte[] {0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x01});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaListenerProbe
                    .checkPlaintextClients("localhost:" + tls.getLocalPort(), new Properties(), "do X"));
            assertTrue(e.getMessage().contains("answers with TLS") && e.getMessage().endsWith("do X"),
                    e.getMessage());
            KafkaListenerProbe.checkPlaintextClients("localhost:" + plain.getLocalPort(), new Properties(), "do X");
            alert.join(5_000);
            kafka.join(5_000);
        }
        Properties secured = new Properties();
        secured.setProperty("security.protocol", "SASL_SSL");
        KafkaListenerProbe.checkPlaintextClients("localhost:1", secured, "not probed when security is set");
        KafkaListenerProbe.checkPlaintextClients("localhost:1", new Properties(), "unreachable: the client reports");
    }

    @Test
    void aTlsListenerThatDropsTheFirstProbeWithoutAnAlertIsStillFound() throws Exception {
        try (ServerSocket tls = new ServerSocket(0)) {
            Thread listener = new Thread(() -> {
                try {
                    try (Socket first = tls.accept()) {
                        first.getInputStream().readNBytes(5); // a TLS record header's worth, then gone
                    }
                    try (Socket second = tls.accept()) {
                        second.getInputStream().readNBytes(14);
                        second.getOutputStream().write(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50});
                        second.getOutputStream().flush();
                    }
                } catch (Exception ignored) {
                    // the probe closed first
                }
            });
            listener.start();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaListenerProbe
                    .checkPlaintextClients("localhost:" + tls.getLocalPort(), new Properties(), "do X"),
                    "a connection closed without an answer is inconclusive and asked again, not taken for plaintext");
            assertTrue(e.getMessage().contains("answers with TLS"), e.getMessage());
            listener.join(5_000);
        }
    }

    @Test
    void aServerThatNeverAnswersIsLeftToTheKafkaClientAfterAFewTries() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
            Thread listener = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket s = silent.accept()) {
                            connections.incrementAndGet();
                        }
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            listener.start();
            KafkaListenerProbe.checkPlaintextClients("localhost:" + silent.getLocalPort(), new Properties(), "do X");
            assertEquals(KafkaListenerProbe.ATTEMPTS, connections.get(), "each inconclusive probe is asked again, "
                    + "up to the limit");
        }
    }

    private static Thread answer(ServerSocket server, byte[] reply) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.getInputStream().readNBytes(14);
                OutputStream out = s.getOutputStream();
                out.write(reply);
                out.flush();
            } catch (Exception ignored) {
                // the probe closed first
            }
        });
        t.start();
        return t;
    }
}
