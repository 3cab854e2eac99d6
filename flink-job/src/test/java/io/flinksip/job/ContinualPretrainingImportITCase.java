package io.flinksip.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.job.config.SipOptions;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.tokenizer.SentencePieceStyleTokenizer;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenizerBackend;
import io.flinksip.tokenizer.Tokenizers;
import io.flinksip.weights.HfCheckpoint;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Continual pretraining from a checkpoint made outside the project: a SentencePiece-style Llama tokenizer (read by the
 * native backend) and weights in transformers' sharded layout.
 */
class ContinualPretrainingImportITCase {

    private static Configuration run(Path work, Path tokenizer, Path checkpoint) {
        Configuration conf = new Configuration();
        conf.set(SipOptions.WORK_DIR, work.toString());
        conf.set(SipOptions.WORLD_DOCUMENTS, 48);
        conf.set(SipOptions.SUFFIX_TOKENS, 12);
        conf.set(SipOptions.MAX_PREFIX_TOKENS, 32);
        conf.set(SipOptions.MIN_PREFIX_TOKENS, 8);
        conf.set(SipOptions.ROLLOUTS, 2);
        conf.set(SipOptions.EXAMPLES_PER_STEP, 8);
        conf.set(SipOptions.TOKENIZER_PATH, tokenizer.toString());
        conf.set(SipOptions.INIT_CHECKPOINT, checkpoint.toString());
        return conf;
    }

    /** A checkpoint "from elsewhere": this tokenizer's vocabulary, written as shards of a third of its size. */
    private static LlamaConfig sharded(Path dir, Path tokenizer, int vocabSize, int maxPositions) throws Exception {
        int eos;
        try (TextTokenizer t = Tokenizers.load(tokenizer)) {
            eos = t.eosTokenId();
        }
        LlamaConfig config = LlamaConfig.tiny(vocabSize, eos).withShape(32, 64, 1, 2, 2, false)
                .withMaxPositions(maxPositions);
        LinkedHashMap<String, float[]> weights = LlamaModel.initialWeights(config, 5);
        long bytes = weights.values().stream().mapToLong(w -> 4L * w.length).sum();
        HfCheckpoint.export(dir, config, weights, tokenizer, bytes / 3);
        return config;
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aSentencePieceLlamaTokenizerAndAShardedCheckpointTrainEveryDocument(@TempDir Path dir) throws Exception {
        Path tokenizer = SentencePieceStyleTokenizer.write(dir.resolve("tokenizer.json"));
        int vocab;
        try (TextTokenizer t = Tokenizers.load(tokenizer)) {
            vocab = t.vocabSize();
        }
        LlamaConfig config = sharded(dir.resolve("initial"), tokenizer, vocab, 64);
        assertTrue(Files.exists(dir.resolve("initial").resolve(HfCheckpoint.INDEX_FILE)), "the import is sharded");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        EmbeddedRun.Result r = new EmbeddedRun(run(dir.resolve("work"), tokenizer, dir.resolve("initial")),
                new PrintStream(log, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0])).run(null);

        assertEquals(0, r.exitCode(), "the run ends well and accounts for every document:\n" + log);
        assertTrue(r.accounting().trained() > 0, "documents were trained on");
        Path export;
        try (Stream<Path> s = Files.list(r.exportDir())) {
            export = s.filter(p -> p.getFileName().toString().startsWith("step-")).max(Comparator.naturalOrder())
                    .orElseThrow();
        }
        assertEquals(config, HfCheckpoint.load(export).config(),
                "the policy keeps the imported checkpoint's shape and vocabulary");
        assertEquals(Files.readString(tokenizer), Files.readString(export.resolve("tokenizer.json")),
                "the export carries the imported tokenizer unchanged");
        JsonNode tokenizerConfig = new ObjectMapper().readTree(export.resolve("tokenizer_config.json").toFile());
        assertEquals("</s>", tokenizerConfig.path("eos_token").asText(), "Llama's end of text stays </s>");
        assertEquals(TokenizerBackend.HUGGING_FACE_NATIVE, Tokenizers.resolve(tokenizer, TokenizerBackend.AUTO));
    }

    @Test
    void aCheckpointWhoseVocabularyDoesNotFitTheTokenizerIsRefusedBeforeTheJobStarts(@TempDir Path dir)
            throws Exception {
        Path tokenizer = SentencePieceStyleTokenizer.write(dir.resolve("tokenizer.json"));
        sharded(dir.resolve("small-vocab"), tokenizer, 300, 64);
        sharded(dir.resolve("short"), tokenizer, 400, 40);

        IllegalArgumentException vocab = assertThrows(IllegalArgumentException.class, () -> new EmbeddedRun(
                run(dir.resolve("w1"), tokenizer, dir.resolve("small-vocab")), System.out,
                new ByteArrayInputStream(new byte[0])).run(null));
        assertTrue(vocab.getMessage().contains("vocab_size is 300"), vocab.getMessage());
        IllegalArgumentException positions = assertThrows(IllegalArgumentException.class, () -> new EmbeddedRun(
                run(dir.resolve("w2"), tokenizer, dir.resolve("short")), System.out,
                new ByteArrayInputStream(new byte[0])).run(null));
        assertTrue(positions.getMessage().contains("max_position_embeddings is 40"), positions.getMessage());
        assertFalse(Files.exists(dir.resolve("w1").resolve("output")), "no job ran");
    }
}
