package io.flinksip.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.job.config.SipOptions;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.tokenizer.ByteLevelBpeTokenizer;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.weights.HfCheckpoint;
import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.Split;
import io.flinksip.world.WorldConfig;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The eval command on exported checkpoints: every figure with its interval, JSON and HTML written. */
class EvalRunTest {
    @Test
    void evaluatesAndComparesExportedCheckpoints(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.set(SipOptions.WORLD_DOCUMENTS, 40);
        conf.set(SipOptions.SUFFIX_TOKENS, 12);
        conf.set(SipOptions.MAX_PREFIX_TOKENS, 32);
        conf.set(SipOptions.MIN_PREFIX_TOKENS, 8);
        ReferenceWorld world = ReferenceWorld.generate(WorldConfig.defaults().withDocuments(40, 600));
        List<String> texts = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 40; i++) {
            String text = world.documents().generate(Split.HELD_OUT, i).text();
            texts.add(text);
            lines.add(json.createObjectNode().put("id", "h" + i).put("text", text).toString());
        }
        Path heldOut = dir.resolve("heldout.jsonl");
        Files.write(heldOut, lines);
        ByteLevelBpeTokenizer tokenizer = new ByteLevelBpeTrainer(512).train(texts);
        Path tokenizerFile = dir.resolve("tokenizer.json");
        tokenizer.save(tokenizerFile);
        LlamaConfig config = LlamaConfig.tiny(tokenizer.vocabSize(), tokenizer.eosTokenId())
                .withShape(32, 64, 1, 2, 2, true).withMaxPositions(64);
        HfCheckpoint.export(dir.resolve("a"), config, LlamaModel.initialWeights(config, 1), tokenizerFile);
        HfCheckpoint.export(dir.resolve("b"), config, LlamaModel.initialWeights(config, 2), tokenizerFile);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new EvalRun(conf, new PrintStream(printed, true, StandardCharsets.UTF_8)).run(new EvalRun.Request(
                dir.resolve("a"), dir.resolve("b"), heldOut, tokenizerFile, 30, true, dir.resolve("out")));

        JsonNode report = new ObjectMapper().readTree(dir.resolve("out/eval.json").toFile());
        assertEquals(30, report.get("prefixes").asInt());
        assertEquals("greedy", report.get("decoding").asText(), "the paper's decoding is the one asked for");
        for (String p : new String[] {"A", "B"}) {
            for (String field : new String[] {"safetyRate", "factuality", "oracleFactuality",
                    "claimsPerContinuation", "noClaimShare", "repetition", "perplexity"}) {
                JsonNode i = report.get("policies").get(p).get(field);
                assertTrue(i != null, "eval.json lacks " + field + " for policy " + p);
                assertTrue(i.get("low").asDouble() <= i.get("value").asDouble()
                        && i.get("value").asDouble() <= i.get("high").asDouble(), p + " " + field);
            }
        }
        JsonNode win = report.get("qualityWinRateAOverB");
        assertTrue(win.get("value").asDouble() >= 0 && win.get("value").asDouble() <= 1);
        assertTrue(Files.readString(dir.resolve("out/eval.html")).contains("data:image/png;base64,"));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("quality win rate of A over B"));
        String log = printed.toString(StandardCharsets.UTF_8);
        assertTrue(log.matches("(?s).*generated\\s+30/30\\s+[0-9.]+/s.*"), "generation reports progress:\n" + log);
        assertTrue(log.matches("(?s).*judge calls\\s+(\\d+)/\\1\\s+[0-9.]+/s.*"), "judging reports progress:\n" + log);
    }
}
