package io.flinksip.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.job.config.SipOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny-budget experiment completes and writes a report whose JSON has every field. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ExperimentRunITCase {
    private static Configuration tiny(Path dir) {
        Configuration conf = new Configuration();
        conf.set(SipOptions.WORK_DIR, dir.toString());
        conf.set(SipOptions.WORLD_DOCUMENTS, 64);
        conf.set(SipOptions.SUFFIX_TOKENS, 12);
        conf.set(SipOptions.MAX_PREFIX_TOKENS, 32);
        conf.set(SipOptions.MIN_PREFIX_TOKENS, 8);
        conf.set(SipOptions.ROLLOUTS, 2);
        conf.set(SipOptions.HIDDEN_SIZE, 32);
        conf.set(SipOptions.INTERMEDIATE_SIZE, 64);
        conf.set(SipOptions.LAYERS, 1);
        conf.set(SipOptions.HEADS, 2);
        conf.set(SipOptions.EXAMPLES_PER_STEP, 8);
        return conf;
    }

    @Test
    void ntpSweepTrainsTheBaselineAtEachRateAndNamesTheLowestPerplexity(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new ExperimentRun(tiny(dir), new PrintStream(log, true, StandardCharsets.UTF_8),
                new ExperimentRun.Options(30, 120, 20, 1, true, null)).ntpSweep(List.of(1e-4, 1e-2));

        JsonNode sweep = new ObjectMapper().readTree(dir.resolve("experiment/ntp-sweep.json").toFile());
        assertTrue(sweep.get("base").has("perplexity"), "Base is the reference row");
        double low = sweep.get("ntp").get("1.0E-4").get("perplexity").get("value").asDouble();
        double high = sweep.get("ntp").get("0.01").get("perplexity").get("value").asDouble();
        assertEquals(low <= high ? "1.0E-4" : "0.01", sweep.get("lowestPerplexityAt").asText());
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("claims/cont.") && printed.contains("lowest held-out perplexity at lr"), printed);
    }

    @Test
    void smallExperimentWritesACompleteReport(@TempDir Path dir) throws Exception {
        Configuration conf = tiny(dir);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new ExperimentRun(conf, new PrintStream(log, true, StandardCharsets.UTF_8),
                new ExperimentRun.Options(40, 120, 20, 2, true, null)).run();

        Path work = dir.resolve("experiment");
        JsonNode report = new ObjectMapper().readTree(work.resolve("report.json").toFile());
        assertEquals(40, report.get("heldOutPrefixes").asInt());
        assertEquals("greedy", report.get("decoding").asText());
        assertEquals(2, report.get("seeds").size(), "two repetitions");
        assertEquals(conf.get(SipOptions.LEARNING_RATE), report.get("learningRates").get("ntp").asDouble(),
                "without its own rate NTP trains at the SIP runs' rate, and the report says so");
        assertTrue(report.get("minutes").asDouble() > 0);
        JsonNode summary = report.get("summary");
        for (String row : List.of("base", "ntp", "sip-dpo", "sip-rf-nll")) {
            JsonNode p = summary.get("policies").get(row);
            for (String metric : List.of("safetyRate", "factuality", "oracleFactuality", "claimsPerContinuation",
                    "noClaimShare", "repetition", "perplexity")) {
                JsonNode m = p.get(metric);
                assertEquals(2, m.get("seeds").asInt(), row + " " + metric);
                assertTrue(m.get("min").asDouble() <= m.get("mean").asDouble()
                        && m.get("mean").asDouble() <= m.get("max").asDouble(), row + " " + metric);
            }
        }
        for (String row : List.of("ntp", "sip-dpo", "sip-rf-nll")) {
            assertTrue(summary.get("againstBase").has(row), row);
        }
        assertTrue(summary.get("againstNtp").has("sip-dpo") && !summary.get("againstNtp").has("ntp"));
        assertEquals(4, summary.get("rolloutChosenRateByQuarter").get("sip-dpo").size(),
                "the quarters the README quotes, averaged over seeds");
        assertTrue(!summary.get("rolloutChosenRateByQuarter").has("ntp"), "ntp has no rollouts");
        for (JsonNode seed : report.get("perSeed")) {
            JsonNode base = seed.get("policies").get("base").get("safetyRate");
            assertTrue(base.get("low").asDouble() <= base.get("value").asDouble(), "intervals per seed");
            for (String name : ExperimentRun.RUNS) {
                JsonNode run = seed.get("runs").get(name);
                assertTrue(run.get("steps").asInt() > 0, name + " trained");
                assertEquals(run.get("steps").asInt(), run.get("loss").size());
                assertEquals(0, run.get("accounting").get("unaccounted").asInt(), name + " accounted for its input");
                assertEquals(name.equals("ntp") ? 0 : 4, run.get("rolloutChosenRateByQuarter").size(), name);
            }
        }
        String html = Files.readString(work.resolve("report.html"));
        assertTrue(html.contains("data:image/png;base64,"), "charts are embedded");
        assertTrue(html.split("<img ").length - 1 >= 6, "comparison, loss, reward, rollout rate, winners, latency");
        String printed = log.toString(StandardCharsets.UTF_8);
        for (String expected : List.of("against base", "against ntp", "rollout chosen rate by quarter",
                "mean ± standard deviation over seeds", "pretrain",
                "rollout chosen rate by quarter (mean of 2 seeds)")) {
            assertTrue(printed.contains(expected), expected + " in:\n" + printed);
        }
    }
}
