package io.flinksip.backend.openai;

import io.flinksip.backend.JudgeException;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Registers the LLM clients' {@link ClientMetrics} with Flink's metric system, under {@code llm} with the role as a
 * label ({@code role="quality"}), so a reporter (Prometheus, JMX) exports them: counters for calls, successes,
 * attempts, retries, 429 replies, parse failures and final failures by reason; gauges for latency.
 */
public final class ClientMetricGroups {
    private ClientMetricGroups() {
    }

    public static void register(MetricGroup operator, Map<String, ClientMetrics> clients) {
        clients.forEach((role, m) -> {
            MetricGroup g = operator.addGroup("llm").addGroup("role", role);
            g.counter("calls", view(m::calls));
            g.counter("succeeded", view(m::succeeded));
            g.counter("attempts", view(m::attempts));
            g.counter("retries", view(m::retries));
            g.counter("rateLimited", view(m::rateLimited));
            g.counter("parseFailures", view(m::parseFailures));
            for (JudgeException.Reason reason : JudgeException.Reason.values()) {
                g.addGroup("reason", reason.name().toLowerCase(Locale.ROOT))
                        .counter("failures", view(() -> m.failures(reason)));
            }
            g.gauge("latencyMeanMs", m::meanLatencyMillis);
            g.gauge("latencyP50Ms", () -> m.latencyQuantileMillis(0.5));
            g.gauge("latencyP99Ms", () -> m.latencyQuantileMillis(0.99));
        });
    }

    /** A counter whose count is read from the client, which owns it; nothing else increments it. */
    private static Counter view(LongSupplier count) {
        return new Counter() {
            @Override
            public void inc() {
                throw new UnsupportedOperationException("read-only view of an LLM client counter");
            }

            @Override
            public void inc(long n) {
                inc();
            }

            @Override
            public void dec() {
                inc();
            }

            @Override
            public void dec(long n) {
                inc();
            }

            @Override
            public long getCount() {
                return count.getAsLong();
            }
        };
    }
}
