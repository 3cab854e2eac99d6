package io.flinksip.backend.openai;

import io.flinksip.backend.server.FaultPlan;
import io.flinksip.backend.server.ReferenceJudgeServer;
import io.flinksip.judge.KeywordJudges;

import java.io.IOException;
import java.time.Duration;

/** A reference server answering with {@link KeywordJudges}, and clients pointed at it with test-friendly limits. */
final class ServerFixture {
    private ServerFixture() {
    }

    static ReferenceJudgeServer start(FaultPlan faults, String requiredKey) throws IOException {
        return new ReferenceJudgeServer(0, new io.flinksip.backend.JudgeBackends(KeywordJudges.QUALITY,
                KeywordJudges.SAFETY, KeywordJudges.FACTUALITY, KeywordJudges.REWRITER), faults, requiredKey);
    }

    static EndpointConfig endpoint(ReferenceJudgeServer server, Duration timeout, int attempts) {
        return EndpointConfig.of(server.baseUrl(), "judge-model")
                .withLimits(timeout, 8, new RetryPolicy(attempts, Duration.ofMillis(20), Duration.ofMillis(200), 2.0,
                        0.2), 2);
    }

    static ChatCompletionClient client(ReferenceJudgeServer server) {
        return new ChatCompletionClient(endpoint(server, Duration.ofSeconds(5), 4), new ClientMetrics());
    }
}
