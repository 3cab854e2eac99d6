package io.flinksip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

class TokenizersTest {

    private final Path file = TrainedTokenizerFixture.tokenizerJson();

    @Test
    void defaultsToPureJava() throws IOException {
        assertInstanceOf(ByteLevelBpeTokenizer.class, Tokenizers.load(file));
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
