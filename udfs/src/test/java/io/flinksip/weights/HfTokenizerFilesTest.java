package io.flinksip.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.tokenizer.ByteLevelBpeTokenizer;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exports whose tokenizer Hugging Face loaders resolve as the model was trained: no BOS, our EOS, nothing appended. */
class HfTokenizerFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path exportWithTrainedTokenizer(Path dir) throws IOException {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            texts.add("The town of Zeahedal dates from " + (1500 + i) + ". Kibudal is the hometown of Kasean.");
        }
        ByteLevelBpeTokenizer tokenizer = new ByteLevelBpeTrainer(512).train(texts);
        Path tokenizerFile = dir.resolve("tokenizer-source").resolve("tokenizer.json");
        Files.createDirectories(tokenizerFile.getParent());
        tokenizer.save(tokenizerFile);
        LlamaConfig config = LlamaConfig.tiny(tokenizer.vocabSize(), tokenizer.eosTokenId())
                .withShape(16, 32, 1, 2, 2, true).withMaxPositions(64);
        Path export = dir.resolve("export");
        HfCheckpoint.export(export, config, LlamaModel.initialWeights(config, 1), tokenizerFile);
        return export;
    }

    @Test
    void anExportedTokenizerResolvesAsTheModelWasTrained(@TempDir Path dir) throws IOException {
        Path export = exportWithTrainedTokenizer(dir);
        var resolved = TransformersTokenizerResolution.resolve(export);
        JsonNode config = JSON.readTree(export.resolve("config.json").toFile());

        assertEquals(List.of(), resolved.problems(), "a Hugging Face loader would misread the export");
        assertEquals("PreTrainedTokenizerFast", resolved.tokenizerClass(), "the class that takes tokenizer.json as is");
        assertEquals(config.get("eos_token_id").asInt(), resolved.ids().get("eos_token"));
        assertEquals(resolved.ids().get("eos_token"), resolved.ids().get("pad_token"), "pad is EOS");
        assertNull(resolved.specialTokens().get("bos_token"), "no BOS: the policy is trained without one");
        assertFalse(resolved.addBosToken());
        assertEquals(64L, resolved.modelMaxLength(), "truncates at the model's context length");
        JsonNode generation = JSON.readTree(export.resolve(HfTokenizerFiles.GENERATION_CONFIG).toFile());
        assertEquals(config.get("eos_token_id").asInt(), generation.get("eos_token_id").asInt());
        assertEquals(config.get("eos_token_id").asInt(), generation.get("pad_token_id").asInt());
        assertFalse(generation.get("do_sample").asBoolean(), "greedy by default, as the project evaluates");
    }

    @Test
    void withoutTheTokenizerConfigALoaderFallsBackToLlamaDefaultsAndAppendsTokens(@TempDir Path dir)
            throws IOException {
        // The 0.1 layout: tokenizer.json only. The check must catch what transformers then does.
        Path export = exportWithTrainedTokenizer(dir);
        Files.delete(export.resolve(HfTokenizerFiles.TOKENIZER_CONFIG));
        Files.delete(export.resolve(HfTokenizerFiles.SPECIAL_TOKENS_MAP));
        var resolved = TransformersTokenizerResolution.resolve(export);

        assertEquals("LlamaTokenizerFast", resolved.tokenizerClass());
        assertTrue(resolved.addBosToken());
        assertTrue(resolved.problems().stream().anyMatch(p -> p.startsWith("bos_token '<s>' is not in the vocabulary")
                && p.contains("past vocab_size")), resolved.problems().toString());
        assertTrue(resolved.problems().stream().anyMatch(p -> p.startsWith("EOS resolves to")),
                resolved.problems().toString());
    }

    @Test
    void aHuggingFaceTokenizerKeepsItsOwnConfiguration(@TempDir Path dir) throws IOException {
        Path export = exportWithTrainedTokenizer(dir);
        // An imported tokenizer with its own files (say, one that does use a BOS): they travel unchanged.
        Path source = dir.resolve("imported");
        Files.createDirectories(source);
        Files.copy(export.resolve("tokenizer.json"), source.resolve("tokenizer.json"));
        String own = "{\"tokenizer_class\": \"PreTrainedTokenizerFast\", \"eos_token\": \"<|endoftext|>\", "
                + "\"model_max_length\": 64, \"custom\": 1}";
        Files.writeString(source.resolve(HfTokenizerFiles.TOKENIZER_CONFIG), own);
        HfTokenizerFiles.write(export, HfCheckpoint.load(export).config(), source.resolve("tokenizer.json"));

        assertEquals(own, Files.readString(export.resolve(HfTokenizerFiles.TOKENIZER_CONFIG)));
    }
}
