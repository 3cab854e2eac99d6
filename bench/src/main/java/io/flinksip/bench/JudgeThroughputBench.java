package io.flinksip.bench;

import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.JudgeBackends;
import io.flinksip.backend.Judged;
import io.flinksip.backend.PairwiseVerdict;
import io.flinksip.backend.Rewriter;
import io.flinksip.backend.SafetyVerdict;
import io.flinksip.backend.openai.ChatCompletionClient;
import io.flinksip.backend.openai.ClientMetrics;
import io.flinksip.backend.openai.EndpointConfig;
import io.flinksip.backend.openai.OpenAiQualityJudge;
import io.flinksip.backend.openai.PromptTemplate;
import io.flinksip.backend.openai.RetryPolicy;
import io.flinksip.backend.server.FaultPlan;
import io.flinksip.backend.server.ReferenceJudgeServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sustained judge throughput of the OpenAI-compatible client against a server with 100 ms latency per reply, for
 * several concurrency limits C: the ideal is C / 0.1 s calls per second, the target at least 90% of it. The server
 * runs in the same JVM on loopback and answers with constant verdicts, so the figure measures the client (queueing,
 * HTTP, JSON, prompt rendering, parsing), not a judge model.
 */
public final class JudgeThroughputBench {
    private JudgeThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        JudgeBackends constant = new JudgeBackends(
                (p, a, b) -> done(PairwiseVerdict.FIRST), t -> done(SafetyVerdict.SAFE),
                (p, c, r) -> done(FactualityVerdict.NO_HALLUCINATION),
                (p, s) -> CompletableFuture.completedFuture(new Rewriter.Rewritten(s, "constant", 0)));
        FaultPlan latency = FaultPlan.none().latency(Duration.ofMillis(100));
        String prefix = "Dastra is a small town by the river, founded in 1406. About 3053 people live there. ".repeat(4);
        String a = " Its baker is a patient woman who makes bread for the whole town every morning.";
        String b = " The river near Dastra is wide and slow in autumn, and the ferry runs twice a day.";
        try (ReferenceJudgeServer server = new ReferenceJudgeServer(0, constant, latency, null)) {
            for (int c : new int[] {4, 16, 64}) {
                EndpointConfig cfg = EndpointConfig.of(server.baseUrl(), "bench")
                        .withLimits(Duration.ofSeconds(30), c, RetryPolicy.defaults(), 0);
                ChatCompletionClient client = new ChatCompletionClient(cfg, new ClientMetrics());
                OpenAiQualityJudge judge = new OpenAiQualityJudge(client, PromptTemplate.bundled("quality"));
                run(judge, prefix, a, b, c * 5); // warm-up: connections, JIT
                int calls = c * 30;
                long start = System.nanoTime();
                run(judge, prefix, a, b, calls);
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = calls / seconds;
                double ideal = c / 0.1;
                System.out.printf("judge        C=%-3d %,7.1f calls/s  ideal %,6.0f  ratio %.2f  p50 latency %d ms   "
                        + "target ratio >= 0.90%n", c, rate, ideal, rate / ideal,
                        client.metrics().latencyQuantileMillis(0.5));
            }
        }
    }

    private static void run(OpenAiQualityJudge judge, String prefix, String a, String b, int calls) {
        List<CompletableFuture<?>> all = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            all.add(judge.compare(prefix, a + " #" + i, b));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();
    }

    private static <V> CompletableFuture<Judged<V>> done(V v) {
        return CompletableFuture.completedFuture(new Judged<>(v, "constant", "constant", 0, 1));
    }
}
