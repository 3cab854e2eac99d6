package io.flinksip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.util.Random;

/** One {@code tokenizer.json}, two implementations: the ids and strings must agree exactly. */
class CrossBackendConsistencyTest {

    private static ByteLevelBpeTokenizer pureJava;
    private static HuggingFaceTokenizerAdapter nativeLibrary;

    @BeforeAll
    static void load() throws IOException {
        pureJava = TrainedTokenizerFixture.pureJava();
        nativeLibrary = HuggingFaceTokenizerAdapter.load(TrainedTokenizerFixture.tokenizerJson());
    }

    @AfterAll
    static void close() {
        nativeLibrary.close();
    }

    @ParameterizedTest
    @FieldSource("io.flinksip.tokenizer.TestTexts#TRICKY")
    void sameIdsForTrickyTexts(String text) {
        assertArrayEquals(nativeLibrary.encode(text), pureJava.encode(text));
    }

    @Test
    void sameIdsForSpecialTokenStringsInText() {
        String text = "a<|endoftext|>b <|endoftext|> <|pad|></s>";

        assertArrayEquals(nativeLibrary.encode(text), pureJava.encode(text));
    }

    /**
     * Code points from all of Unicode, assigned or not, in letter, number and whitespace positions:
     * guards the claim that Java's regex classes split exactly like the native library's.
     */
    @Test
    void sameIdsForRandomCodePoints() {
        Random random = new Random(3);
        for (int trial = 0; trial < 20_000; trial++) {
            int codePoint = random.nextInt(Character.MAX_CODE_POINT + 1);
            if (Character.getType(codePoint) == Character.SURROGATE) {
                continue;
            }
            String c = Character.toString(codePoint);
            String text = "a" + c + "b " + c + " 1" + c + "\n" + c + c;
            assertArrayEquals(nativeLibrary.encode(text), pureJava.encode(text), text);
        }
    }

    @Test
    void sameIdsForUnpairedSurrogates() {
        for (String text :
                new String[] {"a\uD800b", "x\uDC00", "\uD83D", "ok \uD83D\uDE00 \uDE00\uD83D"}) {
            assertArrayEquals(nativeLibrary.encode(text), pureJava.encode(text), text);
            assertEquals(
                    LossyUtf8.replaceUnpairedSurrogates(text),
                    pureJava.decode(pureJava.encode(text)));
        }
    }

    @Test
    void sameIdsForALongTextOfOverTwoThousandTokens() {
        String text = SyntheticCorpus.text(23, 30_000);
        int[] ids = pureJava.encode(text);

        assertTrue(ids.length > 2000, "only " + ids.length + " tokens");
        assertArrayEquals(nativeLibrary.encode(text), ids);
    }

    @Test
    void sameIdsForManyGeneratedDocuments() {
        for (String document : SyntheticCorpus.documents(31, 200_000)) {
            assertArrayEquals(nativeLibrary.encode(document), pureJava.encode(document), document);
        }
    }

    /** Random ids model a sampled generation: split characters, stray special tokens, anything. */
    @Test
    void sameStringsWhenDecodingRandomIds() {
        Random random = new Random(5);
        for (int trial = 0; trial < 2000; trial++) {
            int[] ids = random.ints(1 + random.nextInt(12), 0, pureJava.vocabSize()).toArray();
            assertEquals(nativeLibrary.decode(ids), pureJava.decode(ids));
        }
    }
}
