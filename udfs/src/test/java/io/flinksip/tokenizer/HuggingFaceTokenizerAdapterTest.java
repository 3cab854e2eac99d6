package io.flinksip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;

class HuggingFaceTokenizerAdapterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static HuggingFaceTokenizerAdapter tokenizer;

    @TempDir Path dir;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = HuggingFaceTokenizerAdapter.load(TrainedTokenizerFixture.tokenizerJson());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @ParameterizedTest
    @FieldSource("io.flinksip.tokenizer.TestTexts#TRICKY")
    void decodeOfEncodeIsIdentity(String text) {
        assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
    }

    @Test
    void longTextIsNotTruncated() {
        String text = SyntheticCorpus.text(17, 20_000);
        int[] ids = tokenizer.encode(text);

        assertTrue(ids.length > 2000, "only " + ids.length + " tokens");
        assertEquals(text, tokenizer.decode(ids));
    }

    @Test
    void specialTokenStringsInTextAreEncodedAsPlainText() {
        String text = "end of doc<|endoftext|>next doc";
        int[] ids = tokenizer.encode(text);

        assertTrue(
                Arrays.stream(ids).noneMatch(id -> id == tokenizer.eosTokenId()),
                Arrays.toString(ids));
        assertEquals(text, tokenizer.decode(ids));
    }

    /**
     * Pins the native behaviour the adapter works around: given the file as written, the native
     * library turns the special-token string into the control token even with special tokens off.
     * If this starts failing, a tokenizers upgrade changed that and the workaround can be
     * revisited.
     */
    @Test
    void withoutTheWorkaroundNativeMatchingWouldInjectEos() throws IOException {
        Map<String, String> options =
                Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
        try (HuggingFaceTokenizer raw =
                HuggingFaceTokenizer.newInstance(
                        TrainedTokenizerFixture.tokenizerJson(), options)) {
            long[] ids = raw.encode("a<|endoftext|>b", false, false).getIds();

            assertTrue(
                    Arrays.stream(ids).anyMatch(id -> id == tokenizer.eosTokenId()),
                    Arrays.toString(ids));
        }
    }

    @Test
    void decodeSkipsSpecialTokensAndToleratesASplitEmoji() {
        int eos = tokenizer.eosTokenId();
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        int[] ids =
                IntStream.concat(
                                IntStream.concat(
                                        IntStream.of(eos), Arrays.stream(tokenizer.encode("hi "))),
                                Arrays.stream(
                                        TrainedTokenizerFixture.byteIds(
                                                tokenizer, Arrays.copyOf(emoji, 3))))
                        .toArray();

        assertEquals("hi \uFFFD", tokenizer.decode(ids));
    }

    @Test
    void reportsVocabularyAndSpecialIdsFromTheFile() {
        ByteLevelBpeTokenizer pureJava = TrainedTokenizerFixture.pureJava();

        assertEquals(pureJava.vocabSize(), tokenizer.vocabSize());
        assertEquals(0, tokenizer.eosTokenId());
        assertEquals(0, tokenizer.padTokenId());
        assertEquals("Ġ", tokenizer.tokenToString(pureJava.encode(" ")[0]));
    }

    @Test
    void resolvesEosAndPadByName() throws IOException {
        Path file = dir.resolve("s.json");
        new ByteLevelBpeTrainer(600, new SpecialTokens("</s>", "<pad>"))
                .train(SyntheticCorpus.documents(4, 30_000))
                .save(file);

        try (HuggingFaceTokenizerAdapter adapter = HuggingFaceTokenizerAdapter.load(file)) {
            assertEquals("</s>", adapter.tokenToString(adapter.eosTokenId()));
            assertEquals("<pad>", adapter.tokenToString(adapter.padTokenId()));
        }
    }

    @Test
    void failsClearlyWithoutAnEndOfSequenceToken() throws IOException {
        ObjectNode json =
                (ObjectNode) MAPPER.readTree(TrainedTokenizerFixture.tokenizerJson().toFile());
        ((ObjectNode) json.path("added_tokens").path(0)).put("content", "<|unknown|>");
        Path file = dir.resolve("no-eos.json");
        MAPPER.writeValue(file.toFile(), json);

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> HuggingFaceTokenizerAdapter.load(file));
        assertTrue(e.getMessage().contains("No end-of-sequence token"), e.getMessage());
        assertTrue(e.getMessage().contains("<|unknown|>"), e.getMessage());
    }
}
