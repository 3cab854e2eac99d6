package io.flinksip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.IntStream;

class ByteLevelBpeTokenizerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ByteLevelBpeTokenizer tokenizer = TrainedTokenizerFixture.pureJava();

    @TempDir Path dir;

    @ParameterizedTest
    @FieldSource("io.flinksip.tokenizer.TestTexts#TRICKY")
    void decodeOfEncodeIsIdentity(String text) {
        assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
    }

    @Test
    void specialTokenStringsInTextAreEncodedAsPlainText() {
        String text = "end of doc<|endoftext|>next doc <|pad|>";
        int[] ids = tokenizer.encode(text);

        assertTrue(
                Arrays.stream(ids).noneMatch(id -> id == tokenizer.eosTokenId()),
                Arrays.toString(ids));
        assertEquals(text, tokenizer.decode(ids));
    }

    @Test
    void decodeSkipsSpecialTokens() {
        int eos = tokenizer.eosTokenId();
        int[] ids =
                concat(concat(new int[] {eos}, tokenizer.encode("hello")), new int[] {eos, eos});

        assertEquals("hello", tokenizer.decode(ids));
    }

    @Test
    void decodeOfAnEmojiCutShortGivesReplacementCharacter() {
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8); // F0 9F 98 80

        assertEquals("\uFFFD", tokenizer.decode(byteIds(Arrays.copyOf(emoji, 3))));
        assertEquals(
                "ok \uFFFD",
                tokenizer.decode(
                        concat(tokenizer.encode("ok "), byteIds(Arrays.copyOf(emoji, 2)))));
        assertEquals(
                "\uFFFD!",
                tokenizer.decode(concat(byteIds(new byte[] {emoji[3]}), tokenizer.encode("!"))));
    }

    /** A generation cut after any token decodes to the text so far plus, at most, U+FFFDs. */
    @Test
    void decodeOfEveryPrefixOfATokenSequenceIsATextPrefixPlusReplacements() {
        String text = TestTexts.TRICKY.get(3) + TestTexts.TRICKY.get(2);
        int[] ids = tokenizer.encode(text);
        for (int end = 0; end <= ids.length; end++) {
            String decoded = tokenizer.decode(Arrays.copyOf(ids, end));
            String complete = decoded.replaceAll("\uFFFD+$", "");
            assertTrue(text.startsWith(complete), decoded);
        }
    }

    @Test
    void rejectsIdsOutsideTheVocabulary() {
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {-1}));
        assertThrows(
                IllegalArgumentException.class,
                () -> tokenizer.decode(new int[] {tokenizer.vocabSize()}));
        assertThrows(
                IllegalArgumentException.class,
                () -> tokenizer.tokenToString(tokenizer.vocabSize()));
    }

    /**
     * The held-out text comes from the training distribution under another seed. Measured: 3.77
     * bytes per token, since 2048 tokens cover the common-word lexicon and the frequent syllables
     * of the invented words. For comparison, real English at this vocabulary size measured 2.6 to
     * 3.8 bytes per token (local license texts and release notes, in and out of domain). The bound
     * 3.0 leaves margin below the measurement and is three times an unmerged byte tokenizer's 1.0.
     */
    @Test
    void compressesEnglishLikeTextWellAboveOneBytePerToken() {
        String heldOut = SyntheticCorpus.text(99, 100_000);
        double bytesPerToken =
                (double) heldOut.getBytes(StandardCharsets.UTF_8).length
                        / tokenizer.encode(heldOut).length;

        System.out.printf("Compression: %.2f bytes per token%n", bytesPerToken);
        assertTrue(bytesPerToken > 3.0, "bytes per token " + bytesPerToken);
    }

    @Test
    void savingAndLoadingPreservesEveryId() throws IOException {
        ByteLevelBpeTokenizer trained =
                new ByteLevelBpeTrainer(700).train(SyntheticCorpus.documents(8, 60_000));
        Path file = dir.resolve("tokenizer.json");
        trained.save(file);
        ByteLevelBpeTokenizer loaded = ByteLevelBpeTokenizer.load(file);

        assertEquals(trained.vocabSize(), loaded.vocabSize());
        for (int id = 0; id < trained.vocabSize(); id++) {
            assertEquals(trained.tokenToString(id), loaded.tokenToString(id));
        }
        for (String text : TestTexts.TRICKY) {
            assertArrayEquals(trained.encode(text), loaded.encode(text), text);
        }
    }

    @Test
    void loadsMergesWrittenAsPairsAsWellAsStrings() throws IOException {
        ObjectNode json =
                (ObjectNode) MAPPER.readTree(TrainedTokenizerFixture.tokenizerJson().toFile());
        ArrayNode pairs = MAPPER.createArrayNode();
        json.path("model")
                .path("merges")
                .forEach(merge -> pairs.add(MAPPER.valueToTree(merge.asText().split(" "))));
        ((ObjectNode) json.path("model")).set("merges", pairs);
        Path file = dir.resolve("pairs.json");
        MAPPER.writeValue(file.toFile(), json);

        ByteLevelBpeTokenizer fromPairs = ByteLevelBpeTokenizer.load(file);

        String text = SyntheticCorpus.text(5, 5_000);
        assertArrayEquals(tokenizer.encode(text), fromPairs.encode(text));
    }

    @Test
    void rejectsFilesWhosePipelineItDoesNotImplement() throws IOException {
        assertRejected("normalizer", MAPPER.createObjectNode().put("type", "NFC"), "normalizer");
        assertRejected(
                "pre_tokenizer",
                MAPPER.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", true),
                "add_prefix_space");
        assertRejected(
                "pre_tokenizer",
                MAPPER.createObjectNode().put("type", "Whitespace"),
                "pre_tokenizer");
    }

    private void assertRejected(String field, ObjectNode value, String expectedInMessage)
            throws IOException {
        ObjectNode json =
                (ObjectNode) MAPPER.readTree(TrainedTokenizerFixture.tokenizerJson().toFile());
        json.set(field, value);
        Path file = dir.resolve(field + ".json");
        MAPPER.writeValue(file.toFile(), json);

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> ByteLevelBpeTokenizer.load(file));
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void aHugeSingleWordEncodesInLinearithmicTime() {
        String base64Like = "Ab9".repeat(100_000);

        int[] ids =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(10), () -> tokenizer.encode(base64Like));

        assertEquals(base64Like, tokenizer.decode(ids));
    }

    @Test
    void writesTheDocumentedTokenizerJsonLayout() throws IOException {
        ObjectNode json =
                (ObjectNode)
                        MAPPER.readTree(Files.readString(TrainedTokenizerFixture.tokenizerJson()));

        assertEquals("BPE", json.path("model").path("type").asText());
        assertEquals("ByteLevel", json.path("pre_tokenizer").path("type").asText());
        assertTrue(json.path("normalizer").isNull());
        assertTrue(json.path("post_processor").isNull());
        assertEquals("<|endoftext|>", json.path("added_tokens").path(0).path("content").asText());
        assertTrue(json.path("added_tokens").path(0).path("special").asBoolean());
        assertTrue(json.path("model").path("merges").path(0).isTextual());
    }

    private int[] byteIds(byte[] bytes) {
        return TrainedTokenizerFixture.byteIds(tokenizer, bytes);
    }

    private static int[] concat(int[] a, int[] b) {
        return IntStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
    }
}
