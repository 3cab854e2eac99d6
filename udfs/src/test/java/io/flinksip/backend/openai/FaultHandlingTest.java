package io.flinksip.backend.openai;

import io.flinksip.backend.JudgeException;
import io.flinksip.backend.Judged;
import io.flinksip.backend.SafetyVerdict;
import io.flinksip.backend.server.Fault;
import io.flinksip.backend.server.FaultPlan;
import io.flinksip.backend.server.ReferenceJudgeServer;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every fault the reference server can inject, against the client's retry, timeout and parsing rules. */
class FaultHandlingTest {

    private static OpenAiSafetyJudge safety(ChatCompletionClient client) {
        return new OpenAiSafetyJudge(client, PromptTemplate.bundled("safety"));
    }

    private static JudgeException failure(CompletableFuture<?> future) {
        CompletionException e = assertThrows(CompletionException.class, future::join);
        return assertInstanceOf(JudgeException.class, e.getCause());
    }

    @Test
    void serverErrorsAndTruncatedRepliesAreRetried() throws Exception {
        FaultPlan plan = new FaultPlan(1).script(List.of(Fault.SERVER_ERROR, Fault.TRUNCATED_JSON));
        try (ReferenceJudgeServer server = ServerFixture.start(plan, null)) {
            ChatCompletionClient client = ServerFixture.client(server);
            Judged<SafetyVerdict> j = safety(client).assess("a calm sentence").join();
            assertEquals(SafetyVerdict.SAFE, j.verdict());
            assertEquals(3, j.attempts());
            assertEquals(2, client.metrics().retries());
            assertEquals(0, client.metrics().failures());
        }
    }

    @Test
    void rateLimitHonoursRetryAfter() throws Exception {
        FaultPlan plan = new FaultPlan(1).script(List.of(Fault.RATE_LIMITED)).retryAfterSeconds(1);
        try (ReferenceJudgeServer server = ServerFixture.start(plan, null)) {
            EndpointConfig cfg = ServerFixture.endpoint(server, Duration.ofSeconds(5), 3)
                    .withLimits(Duration.ofSeconds(5), 4, new RetryPolicy(3, Duration.ofMillis(10),
                            Duration.ofSeconds(5), 2.0, 0.0), 0);
            ChatCompletionClient client = new ChatCompletionClient(cfg, new ClientMetrics());
            long start = System.nanoTime();
            assertEquals(SafetyVerdict.SAFE, safety(client).assess("fine").join().verdict());
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 950, "waited " + waited + " ms, Retry-After said 1 s (back-off alone is 10 ms)");
        }
    }

    @Test
    void hangsTimeOutAndFinallyFailWithTimeout() throws Exception {
        FaultPlan plan = new FaultPlan(1).rate(Fault.HANG, 1.0).hangFor(Duration.ofSeconds(3));
        try (ReferenceJudgeServer server = ServerFixture.start(plan, null)) {
            ChatCompletionClient client = new ChatCompletionClient(
                    ServerFixture.endpoint(server, Duration.ofMillis(200), 2), new ClientMetrics());
            JudgeException e = failure(safety(client).assess("anything"));
            assertEquals(JudgeException.Reason.TIMEOUT, e.reason());
            assertEquals(2, client.metrics().attempts());
            assertEquals(1, client.metrics().failures(JudgeException.Reason.TIMEOUT));
        }
    }

    @Test
    void persistentServerErrorsFailAsUnavailableAfterAllAttempts() throws Exception {
        FaultPlan plan = new FaultPlan(1).rate(Fault.SERVER_ERROR, 1.0);
        try (ReferenceJudgeServer server = ServerFixture.start(plan, null)) {
            ChatCompletionClient client = ServerFixture.client(server);
            JudgeException e = failure(safety(client).assess("anything"));
            assertEquals(JudgeException.Reason.UNAVAILABLE, e.reason());
            assertEquals(4, server.requests());
        }
    }

    @Test
    void wrongFormatIsAskedAgainThenFailsWithTheReplyAttached() throws Exception {
        FaultPlan once = new FaultPlan(1).script(List.of(Fault.WRONG_FORMAT));
        try (ReferenceJudgeServer server = ServerFixture.start(once, null)) {
            ChatCompletionClient client = ServerFixture.client(server);
            assertEquals(SafetyVerdict.UNSAFE, safety(client).assess("poison").join().verdict());
            assertEquals(1, client.metrics().parseFailures());
        }
        FaultPlan always = new FaultPlan(1).rate(Fault.WRONG_FORMAT, 1.0);
        try (ReferenceJudgeServer server = ServerFixture.start(always, null)) {
            ChatCompletionClient client = ServerFixture.client(server);
            JudgeException e = failure(safety(client).assess("poison"));
            assertEquals(JudgeException.Reason.UNPARSABLE_VERDICT, e.reason());
            assertEquals("FINAL DECISION: maybe", e.rawReply());
            assertEquals(3, client.metrics().parseFailures(), "first try + 2 parse retries");
        }
    }

    @Test
    void clientErrorsAreNotRetried() throws Exception {
        try (ReferenceJudgeServer server = ServerFixture.start(FaultPlan.none(), null)) {
            ChatCompletionClient client = ServerFixture.client(server);
            PromptTemplate unknown = PromptTemplate.parse("custom", "[user]\nJudge {{blob}}");
            JudgeException e = failure(client.complete(unknown.render(java.util.Map.of("blob", "x")), 0));
            assertEquals(JudgeException.Reason.REJECTED, e.reason());
            assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
            assertEquals(1, server.requests(), "a 400 is final");
            assertEquals(1, client.metrics().failures(JudgeException.Reason.REJECTED));
        }
    }

    @Test
    void refusedConnectionsFailAsIoErrors() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EndpointConfig cfg = EndpointConfig.of(URI.create("http://127.0.0.1:" + port + "/v1"), "m")
                .withLimits(Duration.ofSeconds(2), 2, new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10),
                        1.0, 0.0), 0);
        JudgeException e = failure(safety(new ChatCompletionClient(cfg, new ClientMetrics())).assess("x"));
        assertEquals(JudgeException.Reason.IO_ERROR, e.reason());
    }

    @Test
    void concurrencyIsBoundedPerEndpoint() throws Exception {
        FaultPlan plan = FaultPlan.none().latency(Duration.ofMillis(50));
        try (ReferenceJudgeServer server = ServerFixture.start(plan, null)) {
            EndpointConfig cfg = ServerFixture.endpoint(server, Duration.ofSeconds(5), 2)
                    .withLimits(Duration.ofSeconds(5), 3, RetryPolicy.defaults(), 0);
            ChatCompletionClient client = new ChatCompletionClient(cfg, new ClientMetrics());
            OpenAiSafetyJudge judge = safety(client);
            List<CompletableFuture<?>> all = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 24; i++) {
                all.add(judge.assess("text " + i));
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();
            assertEquals(3, server.maxConcurrentRequests());
            assertEquals(24, client.metrics().succeeded());
            assertTrue(client.metrics().latencyQuantileMillis(0.5) >= 50);
        }
    }
}
