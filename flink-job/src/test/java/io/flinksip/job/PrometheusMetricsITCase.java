package io.flinksip.job;

import io.flinksip.backend.openai.EndpointConfig;
import io.flinksip.backend.openai.RetryPolicy;
import io.flinksip.backend.server.Fault;
import io.flinksip.backend.server.FaultPlan;
import io.flinksip.backend.server.ReferenceJudgeServer;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.support.KeywordBackends;
import io.flinksip.job.support.TestCorpus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prometheus reporter on the job's classpath, switched on with the two usual keys, serves what a user watches: the
 * learner's loss, the judge clients' calls, 429s and latency, labelled by role, and each stage's busy time.
 */
class PrometheusMetricsITCase {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)$");

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The newest value of every series (name + labels) seen across scrapes. */
    private static void scrape(HttpClient http, int port, Map<String, Double> into) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                Matcher m = SAMPLE.matcher(line);
                if (!line.startsWith("#") && m.matches()) {
                    into.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not up yet, or between jobs
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double max(Map<String, Double> series, String nameRegex, String labelFragment) {
        return series.entrySet().stream().filter(e -> e.getKey().matches(nameRegex + "(\\{.*)?")
                && e.getKey().contains(labelFragment)).mapToDouble(Map.Entry::getValue).max().orElse(Double.NaN);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aScrapeFindsTheLearnersLossAndTheJudgeClientsLatencyAndRateLimits(@TempDir Path dir) throws Exception {
        TestCorpus corpus = TestCorpus.create(dir, 40, List.of());
        int port = freePort();
        FaultPlan faults = new FaultPlan(5).rate(Fault.RATE_LIMITED, 0.1);
        Map<String, Double> series = new HashMap<>();
        try (ReferenceJudgeServer server = new ReferenceJudgeServer(0, new KeywordBackends().create(), faults, null)) {
            EndpointConfig endpoint = EndpointConfig.of(server.baseUrl(), "reference").withLimits(
                    Duration.ofSeconds(10), 8, new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(20), 2, 0),
                    0);
            Configuration conf = SipJobITCase.tinyJob(dir, SipOptions.Mode.SIP);
            conf.setString("metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.setString("metrics.reporter.prom.port", port + "-" + (port + 4));
            StreamExecutionEnvironment env = SipJobITCase.openAiJob(conf, corpus, dir, endpoint);
            JobClient job = env.executeAsync("prometheus");
            HttpClient http = HttpClient.newHttpClient();
            while (!job.getJobExecutionResult().isDone()) {
                for (int p = port; p <= port + 4; p++) { // the JobManager and the TaskManager each take a port
                    scrape(http, p, series);
                }
                Thread.sleep(300);
            }
            job.getJobExecutionResult().get();
        }
        String names = String.join("\n", series.keySet().stream().filter(k -> k.contains("operator")).sorted()
                .toList());
        assertTrue(max(series, ".*_operator_loss", "") > 0, "the learner's loss is scraped:\n" + names);
        assertTrue(max(series, ".*_operator_llm_role_calls", "role=\"quality\"") > 0,
                "the quality judge client's calls, labelled by role:\n" + names);
        assertTrue(max(series, ".*_operator_llm_role_latencyMeanMs", "role=\"safety\"") > 0,
                "the safety client's latency:\n" + names);
        assertTrue(max(series, ".*_operator_llm_role_rateLimited", "") > 0,
                "the injected 429 replies are counted:\n" + names);
        assertTrue(max(series, ".*_operator_llm_role_calls", "role=\"rewriter\"") > 0,
                "the rewriter's client is registered by the rewrite stage:\n" + names);
        assertTrue(series.keySet().stream().anyMatch(k -> k.contains("judgeLatencyMs")),
                "the judge stage's own latency histogram:\n" + names);
        assertEquals(2, series.keySet().stream().filter(k -> k.matches(".*_operator_onGpu\\{.*")).count(),
                "the learner and the rollout stage report their device (0: CPU):\n" + names);
        assertEquals(0.0, max(series, ".*_operator_onGpu", ""), "this machine has no GPU");
        // The stages after the source; the source task (documents -> segment) reads the 40 documents and ends before
        // the first scrape can find it (a CI run saw no segment series at all), so segment is not checked here.
        for (String stage : List.of("rollout", "rewrite", "judge", "reward", "learner")) {
            String label = "stage=\"" + stage + "\"";
            double busy = max(series, ".*_stage_stageBusyNanos", label);
            assertTrue(busy > 0,
                    "where the time goes: the " + stage + " stage's busy time is scraped (" + busy + "):\n" + names);
            assertTrue(max(series, ".*_stage_stageBusyShare", label) >= 0,
                    "and its share of the last minute:\n" + names);
        }
    }
}
