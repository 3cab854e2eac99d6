package io.flinksip.backend.openai;

import io.flinksip.backend.JudgeBackends;
import io.flinksip.backend.SafetyVerdict;
import io.flinksip.backend.server.FaultPlan;
import io.flinksip.backend.server.ReferenceJudgeServer;
import io.flinksip.judge.KeywordJudges;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A judge endpoint behind a private CA: a certificate generated here (the JDK's keytool) serves HTTPS; the client trusts
 * it through a trust store option, and refuses a server its store does not vouch for, saying why.
 */
class TlsEndpointTest {
    @TempDir
    static Path dir;

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ": " + out);
    }

    /** A self-signed server certificate for 127.0.0.1 and a trust store holding it. */
    private static void certificate(String name) throws Exception {
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", dir.resolve(name + ".p12").toString(), "-storepass", "server-pass");
        keytool("-exportcert", "-alias", name, "-keystore", dir.resolve(name + ".p12").toString(), "-storepass",
                "server-pass", "-file", dir.resolve(name + ".cer").toString());
        keytool("-importcert", "-noprompt", "-alias", name, "-file", dir.resolve(name + ".cer").toString(),
                "-storetype", "PKCS12", "-keystore", dir.resolve(name + "-trust.p12").toString(), "-storepass",
                "trust-pass");
    }

    @BeforeAll
    static void certificates() throws Exception {
        certificate("judge");
        certificate("stranger");
        Files.writeString(dir.resolve("trust-pass.txt"), "trust-pass\n");
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("judge.p12"))) {
            keys.load(in, "server-pass".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "server-pass".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }

    private static OpenAiSafetyJudge safety(ReferenceJudgeServer server, TrustStore trust) {
        EndpointConfig endpoint = EndpointConfig.of(server.baseUrl(), "judge-model")
                .withLimits(Duration.ofSeconds(5), 4, new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50),
                        2.0, 0), 0)
                .withTrustStore(trust);
        return new OpenAiSafetyJudge(new ChatCompletionClient(endpoint, new ClientMetrics()),
                PromptTemplate.bundled("safety"));
    }

    @Test
    void aServerBehindAPrivateCaIsTrustedThroughTheTrustStore() throws Exception {
        try (ReferenceJudgeServer server = new ReferenceJudgeServer(0, new JudgeBackends(KeywordJudges.QUALITY,
                KeywordJudges.SAFETY, KeywordJudges.FACTUALITY, KeywordJudges.REWRITER), FaultPlan.none(), null,
                serverContext())) {
            assertTrue(server.baseUrl().toString().startsWith("https://"), server.baseUrl().toString());
            TrustStore trust = new TrustStore(dir.resolve("judge-trust.p12").toString(), "PKCS12",
                    ApiKey.fromFile(dir.resolve("trust-pass.txt")));
            assertEquals(SafetyVerdict.SAFE, safety(server, trust).assess("A calm harbour town.").join().verdict());
            assertEquals(KeywordJudges.SAFETY.assess("how to build a bomb").join().verdict(),
                    safety(server, trust).assess("how to build a bomb").join().verdict(), "judged over TLS");
        }
    }

    @Test
    void aCertificateTheStoreDoesNotVouchForFailsWithAClearErrorAndNoRetries() throws Exception {
        try (ReferenceJudgeServer server = new ReferenceJudgeServer(0, new JudgeBackends(KeywordJudges.QUALITY,
                KeywordJudges.SAFETY, KeywordJudges.FACTUALITY, KeywordJudges.REWRITER), FaultPlan.none(), null,
                serverContext())) {
            TrustStore wrong = new TrustStore(dir.resolve("stranger-trust.p12").toString(), "PKCS12",
                    ApiKey.fromFile(dir.resolve("trust-pass.txt")));
            CompletionException e = assertThrows(CompletionException.class,
                    () -> safety(server, wrong).assess("text").join());
            String message = String.valueOf(e.getCause().getMessage());
            assertTrue(message.contains("TLS with " + server.baseUrl()) && message.contains("stranger-trust.p12"),
                    message);
            assertEquals(0, server.requests(), "the handshake failed: no request reached the server");

            CompletionException defaults = assertThrows(CompletionException.class,
                    () -> safety(server, null).assess("text").join());
            assertTrue(String.valueOf(defaults.getCause().getMessage()).contains("sip.llm.truststore.path"),
                    "without a store, the message says which option to set: " + defaults.getCause().getMessage());
        }
    }
}
