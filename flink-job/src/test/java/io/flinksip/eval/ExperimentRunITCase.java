package io.flinksip.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.job.config.SipOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny-budget experiment completes and writes a report whose JSON has every field. */
class ExperimentRunITCase {
    @Test
    void smallExperimentWritesACompleteReport(@TempDir Path dir) throws Exception {
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
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new ExperimentRun(conf, new PrintStream(log, true, StandardCharsets.UTF_8), 40, 120, 20).run();

        Path work = dir.resolve("experiment");
        JsonNode report = new ObjectMapper().readTree(work.resolve("report.json").toFile());
        assertEquals(40, report.get("heldOutPrefixes").asInt());
        assertTrue(report.get("minutes").asDouble() > 0);
        for (String name : ExperimentRun.RUNS) {
            JsonNode p = report.get("policies").get(name);
            for (String field : new String[] {"safetyRate", "unsafeRate", "factuality", "perplexity"}) {
                JsonNode i = p.get(field);
                assertTrue(i.get("low").asDouble() <= i.get("value").asDouble()
                        && i.get("value").asDouble() <= i.get("high").asDouble(), name + " " + field);
                assertEquals(40, i.get("n").asInt());
            }
            assertTrue(p.get("steps").asInt() > 0, name + " trained");
            assertEquals(p.get("steps").asInt(), p.get("loss").size());
            if (!name.equals("ntp")) {
                assertTrue(p.has("winRateOverNtp") && p.has("relativeUnsafeReduction")
                        && p.has("relativeFactualityImprovement"), name);
                assertEquals(p.get("steps").asInt(), p.get("rolloutChosenRate").size());
            }
        }
        String html = Files.readString(work.resolve("report.html"));
        assertTrue(html.contains("data:image/png;base64,"), "charts are embedded");
        assertTrue(html.split("<img ").length - 1 >= 6, "comparison, loss, reward, rollout rate, winners, latency");
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("win rate vs ntp") && printed.contains("pretrain"), printed);
    }
}
