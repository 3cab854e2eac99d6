package io.flinksip.job.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinksip.tokenizer.ByteLevelBpeTokenizer;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.Split;
import io.flinksip.world.WorldConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A small JSONL corpus and a tokenizer trained on it, for job tests. */
public final class TestCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Path input;
    public final List<String> ids;
    public final String tokenizerJson;

    private TestCorpus(Path input, List<String> ids, String tokenizerJson) {
        this.input = input;
        this.ids = ids;
        this.tokenizerJson = tokenizerJson;
    }

    /**
     * The first {@code count} train documents of the reference world drawn from {@code seed}, kept to 40–120 words so
     * that job tests stay quick.
     */
    public static List<String> texts(long seed, int count) {
        return ReferenceWorld.generate(WorldConfig.defaults().withSeed(seed).withWords(40, 120))
                .texts(Split.TRAIN, count);
    }

    /** {@code documents} generated documents written to {@code dir/input/docs.jsonl}, plus {@code extraLines}. */
    public static TestCorpus create(Path dir, int documents, List<String> extraLines) throws IOException {
        List<String> texts = texts(7, documents);
        Path input = dir.resolve("input");
        Files.createDirectories(input);
        List<String> lines = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode n = JSON.createObjectNode().put("id", "doc-" + i).put("text", texts.get(i))
                    .put("timestamp", 1_700_000_000_000L + i);
            lines.add(JSON.writeValueAsString(n));
            ids.add("doc-" + i);
        }
        lines.addAll(extraLines);
        Files.write(input.resolve("docs.jsonl"), String.join("\n", lines).concat("\n")
                .getBytes(StandardCharsets.UTF_8));
        ByteLevelBpeTokenizer tokenizer = new ByteLevelBpeTrainer(512).train(texts);
        Path tok = dir.resolve("tokenizer.json");
        tokenizer.save(tok);
        return new TestCorpus(input, ids, Files.readString(tok));
    }

    /** Every JSON object in the part files under {@code dir} (committed files only: no hidden in-progress ones). */
    public static List<com.fasterxml.jackson.databind.JsonNode> readJsonLines(Path dir) throws IOException {
        return io.flinksip.job.JsonLinesDir.read(dir);
    }
}
