package io.flinksip.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinksip.backend.openai.EndpointConfig;
import io.flinksip.backend.openai.RetryPolicy;
import io.flinksip.backend.server.FaultPlan;
import io.flinksip.backend.server.ReferenceJudgeServer;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.support.KeywordBackends;
import io.flinksip.job.support.TestCorpus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The judge endpoint goes down mid-run. Within the retry budget, the stage waits and retries and nothing is lost; past
 * it, the samples asked during the outage are dead-lettered with the reason and training goes on once the endpoint is
 * back. Every document is accounted for either way; a run without the outage is the control.
 */
class JudgeOutageITCase {
    private static final int DOCUMENTS = 96;

    enum Outage {
        /** No outage: nothing dead-lettered. */
        NONE(0, new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(50), 2, 0)),
        /** Down for 2 s, retried for up to ~12 s: nothing dead-lettered. */
        WITHIN_BUDGET(2_000, new RetryPolicy(14, Duration.ofMillis(200), Duration.ofSeconds(1), 2, 0)),
        /** Down for 1.5 s, retried for ~0.3 s: the calls of the outage are dead-lettered, the rest trains. */
        PAST_BUDGET(1_500, new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(200), 2, 0));

        final long downMillis;
        final RetryPolicy retry;

        Outage(long downMillis, RetryPolicy retry) {
            this.downMillis = downMillis;
            this.retry = retry;
        }
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void anOutageIsRetriedWithinTheBudgetAndDeadLetteredPastIt(Outage outage, @TempDir Path dir) throws Exception {
        TestCorpus corpus = TestCorpus.create(dir, DOCUMENTS, List.of());
        FaultPlan faults = new FaultPlan(1);
        long requestsDuringOutage;
        long requestsAfterOutage;
        try (ReferenceJudgeServer server = new ReferenceJudgeServer(0, new KeywordBackends().create(), faults, null)) {
            EndpointConfig endpoint = EndpointConfig.of(server.baseUrl(), "reference").withLimits(
                    Duration.ofSeconds(5), 4, outage.retry, 0);
            Configuration conf = SipJobITCase.tinyJob(dir, SipOptions.Mode.SIP);
            conf.set(SipOptions.JUDGE_TIMEOUT, Duration.ofMinutes(1)); // the async stage outlasts the retry budget
            StreamExecutionEnvironment env = SipJobITCase.openAiJob(conf, corpus, dir, endpoint);
            JobClient job = env.executeAsync("judge outage " + outage);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (server.requests() < 40 && !job.getJobExecutionResult().isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long requestsAtDown = server.requests();
            if (outage.downMillis > 0) {
                faults.down(true);
                Thread.sleep(outage.downMillis);
                faults.down(false);
            }
            long requestsWhenBack = server.requests();
            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
            requestsDuringOutage = requestsWhenBack - requestsAtDown;
            requestsAfterOutage = server.requests() - requestsWhenBack;
        }

        RunAccounting a = RunAccounting.of(InputCensus.of(corpus.input, 1 << 20).orElseThrow(), dir.resolve("out"));
        assertTrue(a.holdsForFinishedRun(), "every document trained or dead-lettered once: " + a.describe(true));
        Map<String, Integer> reasons = new HashMap<>();
        for (JsonNode d : TestCorpus.readJsonLines(dir.resolve("out/dead-letters"))) {
            reasons.merge(d.get("reason").asText(), 1, Integer::sum);
        }
        switch (outage) {
            case NONE, WITHIN_BUDGET -> {
                assertTrue(outage == Outage.NONE || requestsDuringOutage > 0 && requestsAfterOutage > 0,
                        "calls were refused during the outage and retried after it");
                assertEquals(Map.of(), reasons, "nothing dead-lettered " + outage);
                assertEquals(DOCUMENTS, a.trained(), "every document trained " + outage);
            }
            case PAST_BUDGET -> {
                assertTrue(reasons.keySet().stream().allMatch(r -> r.endsWith("_unavailable")),
                        "dead letters name the outage: " + reasons);
                assertTrue(a.deadLettered() > 0, "the calls of the outage are dead-lettered: " + a.describe(true));
                assertTrue(requestsDuringOutage > 0, "calls were made and refused during the outage");
                assertTrue(requestsAfterOutage > 0, "the endpoint was asked again once it was back");
                assertTrue(a.trained() > 0, "training went on: " + a.describe(true));
            }
            default -> throw new IllegalStateException();
        }
    }
}
