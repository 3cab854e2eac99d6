package io.flinksip.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.job.FlinkSipCliAccess;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.tokenizer.ByteLevelBpeTokenizer;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.weights.HfCheckpoint;
import org.junit.jupiter.api.BeforeAll;
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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code flink-sip generate}: what a user runs to read what an exported policy writes. */
class GenerateRunTest {
    @TempDir
    static Path dir;
    private static Path model;

    @BeforeAll
    static void exportAPolicy() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            texts.add("The town of Zeahedal dates from " + (1500 + i) + ". Kibudal is the hometown of Kasean.");
        }
        ByteLevelBpeTokenizer tokenizer = new ByteLevelBpeTrainer(512).train(texts);
        Path tokenizerFile = dir.resolve("tokenizer.json");
        tokenizer.save(tokenizerFile);
        LlamaConfig config = LlamaConfig.tiny(tokenizer.vocabSize(), tokenizer.eosTokenId())
                .withShape(32, 64, 1, 2, 2, true).withMaxPositions(64);
        model = dir.resolve("export");
        HfCheckpoint.export(model, config, LlamaModel.initialWeights(config, 3), tokenizerFile);
    }

    private record Ran(int exit, String out, String err) {
    }

    private static Ran cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = FlinkSipCliAccess.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPromptGetsItsGreedyContinuationTheSameEveryTime() {
        Ran first = cli("generate", "--model", model.toString(), "--prompt", "The town of", "--max-tokens", "8");
        Ran second = cli("generate", "--model", model.toString(), "--prompt", "The town of", "--max-tokens", "8");
        assertEquals(0, first.exit(), first.err());
        assertEquals(1, first.out().lines().count(), "one continuation printed:\n" + first.out());
        assertEquals(first.out(), second.out(), "greedy decoding is deterministic");
    }

    @Test
    void aFileOfPromptsGivesOneJsonLinePerPromptInOrder() throws Exception {
        Path prompts = dir.resolve("prompts.jsonl");
        Files.writeString(prompts, "{\"prompt\": \"Kibudal is\"}\n\nThe town of Zeahedal\n{\"text\": \"Kasean\"}\n");
        Ran ran = cli("generate", "--model", model.toString(), "--input", prompts.toString(), "--max-tokens", "6");
        assertEquals(0, ran.exit(), ran.err());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : ran.out().lines().toList()) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertEquals(List.of("Kibudal is", "The town of Zeahedal", "Kasean"),
                lines.stream().map(n -> n.get("prompt").asText()).toList(), "blank lines skipped, order kept");
        Ran single = cli("generate", "--model", model.toString(), "--prompt", "Kasean", "--max-tokens", "6");
        assertEquals(single.out().strip(), lines.get(2).get("continuation").asText().strip(),
                "batched and single generation agree");
    }

    @Test
    void sampledDecodingIsReproducibleBySeed() {
        String[] args = {"generate", "--model", model.toString(), "--prompt", "The town of", "--max-tokens", "12",
                "--decoding", "sampled", "--seed", "7"};
        Ran a = cli(args);
        Ran b = cli(args);
        args[args.length - 1] = "8";
        Ran c = cli(args);
        Ran greedy = cli("generate", "--model", model.toString(), "--prompt", "The town of", "--max-tokens", "12");
        assertEquals(0, a.exit(), a.err());
        assertEquals(a.out(), b.out(), "the same seed, the same sample");
        assertTrue(!a.out().equals(c.out()) || !a.out().equals(greedy.out()),
                "another seed or greedy decoding gives another continuation of an untrained model");
    }

    @Test
    void mistakesExitNonZeroWithOneLineSayingWhat() {
        Ran noPrompt = cli("generate", "--model", model.toString());
        assertEquals(2, noPrompt.exit());
        assertTrue(noPrompt.err().contains("Missing required argument") && noPrompt.err().contains("--prompt=TEXT")
                && noPrompt.err().contains("--input=FILE"), noPrompt.err());
        Ran both = cli("generate", "--model", model.toString(), "--prompt", "x", "--input", "f");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
        Ran greedyWithTemperature = cli("generate", "--model", model.toString(), "--prompt", "x", "--temperature",
                "0.5");
        assertEquals(2, greedyWithTemperature.exit());
        Ran noTokenizer = cli("generate", "--model", model.toString(), "--prompt", "x", "--tokenizer",
                dir.resolve("missing.json").toString());
        assertEquals(2, noTokenizer.exit());
        assertTrue(noTokenizer.err().contains("--tokenizer " + dir.resolve("missing.json") + ": no such file"),
                noTokenizer.err());
        Ran tooLong = cli("generate", "--model", model.toString(), "--prompt", "x", "--max-tokens", "64");
        assertNotEquals(0, tooLong.exit());
        assertTrue(tooLong.err().contains("leaves no room"), tooLong.err());
    }
}
