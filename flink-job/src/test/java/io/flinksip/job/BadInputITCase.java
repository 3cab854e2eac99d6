package io.flinksip.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinksip.backend.openai.EndpointConfig;
import io.flinksip.backend.openai.RetryPolicy;
import io.flinksip.backend.server.Fault;
import io.flinksip.backend.server.FaultPlan;
import io.flinksip.backend.server.ReferenceJudgeServer;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.support.KeywordBackends;
import io.flinksip.job.support.TestClusters;
import io.flinksip.job.support.TestCorpus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed records, empty, giant and non-UTF-8 documents, and judge faults injected by the OpenAI-compatible test
 * server: all dead-lettered with reasons, the job keeps running, and the counts add up.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BadInputITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.oneTaskManager();

    private static final int GOOD = 40;

    @Test
    void badInputIsDeadLetteredWithReasonsAndEveryLineIsAccountedFor(@TempDir Path dir) throws Exception {
        List<String> bad = List.of(
                "{not json",
                "[1, 2, 3]",
                "{\"id\": \"no-text\"}",
                "{\"id\": \"blank-text\", \"text\": \"   \"}",
                "{\"id\": \"short\", \"text\": \"Hi there.\"}",
                "{\"id\": \"giant\", \"text\": \"" + "word ".repeat(2000) + "\"}",
                "");
        TestCorpus corpus = TestCorpus.create(dir, GOOD, bad);
        // Invalid UTF-8 (a lone continuation byte) in a second, gzip-less file.
        Files.write(corpus.input.resolve("latin1.jsonl"),
                new byte[] {'{', '"', 'i', 'd', '"', ':', '"', 'x', '"', ',', '"', 't', 'e', 'x', 't', '"', ':',
                    '"', 'c', 'a', 'f', (byte) 0xE9, '"', '}', '\n'});

        FaultPlan faults = new FaultPlan(3).rate(Fault.WRONG_FORMAT, 0.04).rate(Fault.SERVER_ERROR, 0.04);
        try (ReferenceJudgeServer server = new ReferenceJudgeServer(0, new KeywordBackends().create(), faults,
                null)) {
            EndpointConfig endpoint = EndpointConfig.of(server.baseUrl(), "reference").withLimits(
                    Duration.ofSeconds(10), 8, new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(20), 2, 0), 0);
            Configuration conf = SipJobITCase.tinyJob(dir, SipOptions.Mode.SIP);
            conf.set(SipOptions.INPUT_MAX_LINE_BYTES, 4096);
            StreamExecutionEnvironment env = SipJobITCase.openAiJob(conf, corpus, dir, endpoint);
            env.execute("bad input");
            assertTrue(server.requests() > GOOD, "judging and rewriting went over HTTP");
        }

        List<JsonNode> dead = TestCorpus.readJsonLines(dir.resolve("out/dead-letters"));
        Map<String, Integer> reasons = new HashMap<>();
        Map<String, String> byDoc = new HashMap<>();
        for (JsonNode d : dead) {
            reasons.merge(d.get("reason").asText(), 1, Integer::sum);
            if (d.hasNonNull("docId")) {
                byDoc.put(d.get("docId").asText(), d.get("reason").asText());
            }
            assertTrue(d.get("stage").asText().matches("segment|rewrite|judge|reward"), d.toString());
        }
        assertEquals(2, reasons.get("malformed_json"), reasons.toString());
        assertEquals("missing_field", byDoc.get("no-text"));
        assertEquals("empty_document", byDoc.get("blank-text"));
        assertEquals("too_short", byDoc.get("short"));
        assertEquals(1, reasons.get("oversized_document"), reasons.toString());
        assertEquals(1, reasons.get("invalid_utf8"), reasons.toString());
        long judgeFailures = reasons.entrySet().stream().filter(e -> e.getKey().startsWith("judge_")
                || e.getKey().startsWith("rewrite_")).mapToInt(Map.Entry::getValue).sum();
        assertTrue(judgeFailures > 0, "injected judge faults dead-lettered: " + reasons);

        List<JsonNode> updates = TestCorpus.readJsonLines(dir.resolve("out/policy-updates"));
        int trained = updates.stream().mapToInt(u -> u.get("examples").asInt()).sum();
        int segmentDead = 7; // 2 malformed, missing field, empty, too short, oversized, invalid UTF-8
        int inputLines = GOOD + bad.size() + 1;
        int blankLines = 1;
        assertEquals(inputLines, trained + dead.size() + blankLines,
                "every line trained, dead-lettered or dropped as blank: " + reasons);
        assertEquals(GOOD, trained + dead.size() - segmentDead);
    }
}
