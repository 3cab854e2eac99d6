package io.flinksip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

class TokenizersTest {

    private final Path file = TrainedTokenizerFixture.tokenizerJson();

    @Test
    void defaultsToPureJavaForAByteLevelFile() throws IOException {
        assertInstanceOf(ByteLevelBpeTokenizer.class, Tokenizers.load(file));
        assertEquals(TokenizerBackend.PURE_JAVA, Tokenizers.resolve(file, TokenizerBackend.AUTO));
    }

    @Test
    void autoLoadsASentencePieceStyleLlamaTokenizerNatively(@TempDir Path dir) throws IOException {
        Path sp = SentencePieceStyleTokenizer.write(dir.resolve("tokenizer.json"));
        assertEquals(TokenizerBackend.HUGGING_FACE_NATIVE, Tokenizers.resolve(sp, TokenizerBackend.AUTO));
        IllegalArgumentException pure = assertThrows(IllegalArgumentException.class,
                () -> Tokenizers.load(sp, TokenizerBackend.PURE_JAVA));
        assertTrue(pure.getMessage().contains("not supported by the pure-Java"), pure.getMessage());
        try (TextTokenizer t = Tokenizers.load(sp, TokenizerBackend.AUTO)) {
            assertInstanceOf(HuggingFaceTokenizerAdapter.class, t);
            assertEquals(2, t.eosTokenId(), "</s> is the end of text, as in Llama 2");
            String text = "The cat sat in the hat, caf\u00e9 \u4e16\u754c.";
            int[] ids = t.encode(text);
            assertEquals(text, t.decode(ids), "the word marker and byte fallback round-trip");
            int theCat = t.encode("the cat").length;
            assertEquals(2, theCat, "merges apply: '\u2581the' and '\u2581cat'");
        }
    }

    @Test
    void loadsTheRequestedBackend() throws IOException {
        try (TextTokenizer pureJava = Tokenizers.load(file, TokenizerBackend.PURE_JAVA);
                TextTokenizer nativeHf =
                        Tokenizers.load(file, TokenizerBackend.HUGGING_FACE_NATIVE)) {
            assertInstanceOf(ByteLevelBpeTokenizer.class, pureJava);
            assertInstanceOf(HuggingFaceTokenizerAdapter.class, nativeHf);
            assertArrayEquals(pureJava.encode("same ids"), nativeHf.encode("same ids"));
        }
    }
}
