package io.flinksip.backend.openai;

import io.flinksip.backend.JudgeException;
import io.flinksip.backend.SafetyVerdict;
import io.flinksip.backend.server.Fault;
import io.flinksip.backend.server.FaultPlan;
import io.flinksip.backend.server.ReferenceJudgeServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A planted key is sent to the server and appears nowhere else: not in config, exceptions, replies or logs. */
class ApiKeySecrecyTest {
    private static final String KEY = "sk-planted-7f3a9c1e5b2d4f6a8c0e";

    @Test
    void keyIsSentButNeverLeaks(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("judge.key");
        Files.writeString(keyFile, KEY + "\n");
        ApiKey source = ApiKey.parse("file:" + keyFile);
        assertFalse(source.toString().contains(KEY));
        // A misbehaving server that echoes the Authorization header, first in an error, then a real reply.
        FaultPlan plan = new FaultPlan(1).script(List.of(Fault.ECHO_CREDENTIALS, Fault.ECHO_CREDENTIALS));
        try (ReferenceJudgeServer server = ServerFixture.start(plan, KEY)) {
            EndpointConfig cfg = ServerFixture.endpoint(server, Duration.ofSeconds(5), 1).withApiKey(source);
            assertFalse(cfg.toString().contains(KEY));
            assertFalse(serialized(cfg).contains(KEY), "configuration (and so Flink state) holds no secret");
            ChatCompletionClient client = new ChatCompletionClient(cfg, new ClientMetrics());
            OpenAiSafetyJudge judge = new OpenAiSafetyJudge(client, PromptTemplate.bundled("safety"));

            CompletionException e = assertThrows(CompletionException.class, () -> judge.assess("hello").join());
            JudgeException failure = assertInstanceOf(JudgeException.class, e.getCause());
            assertEquals(JudgeException.Reason.REJECTED, failure.reason());
            assertTrue(failure.getMessage().contains("[REDACTED]"), failure.getMessage());
            assertFalse(failure.getMessage().contains(KEY));
            assertFalse(String.valueOf(failure.rawReply()).contains(KEY));

            CompletionException again = assertThrows(CompletionException.class, () -> judge.assess("hello").join());
            assertFalse(again.getCause().toString().contains(KEY));

            // With the right key and no fault the call succeeds: the key really was sent.
            assertEquals(SafetyVerdict.SAFE, judge.assess("hello").join().verdict());
        }
        try (ReferenceJudgeServer server = ServerFixture.start(FaultPlan.none(), KEY)) {
            ChatCompletionClient noKey = ServerFixture.client(server);
            CompletionException e = assertThrows(CompletionException.class,
                    () -> new OpenAiSafetyJudge(noKey, PromptTemplate.bundled("safety")).assess("x").join());
            assertEquals(JudgeException.Reason.REJECTED, ((JudgeException) e.getCause()).reason());
        }
        Path log = Path.of("target/test-logs/udfs-tests.log");
        assertTrue(Files.exists(log), "the test log is configured by log4j2-test.properties");
        String logged = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(logged.contains("call failed"), "failures were logged");
        assertFalse(logged.contains(KEY), "the key never reaches the log");
    }

    @Test
    void missingOrEmptySourcesFailWithoutSecrets(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.key");
        Files.writeString(empty, "  \n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApiKey.fromFile(empty).resolve());
        assertTrue(e.getMessage().contains("empty"));
        assertThrows(IllegalStateException.class,
                () -> ApiKey.fromEnv("FLINK_SIP_SURELY_UNSET_VARIABLE_4711").resolve());
        assertThrows(IllegalArgumentException.class, () -> ApiKey.parse("sk-literal-key-in-config"));
        assertEquals("none", ApiKey.parse("none").toString());
    }

    private static String serialized(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
