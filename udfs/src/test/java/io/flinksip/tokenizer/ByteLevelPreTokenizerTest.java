package io.flinksip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;

class ByteLevelPreTokenizerTest {

    @Test
    void splitsLikeGpt2() {
        assertEquals(
                List.of("Hello", ",", " world", "!"), ByteLevelPreTokenizer.split("Hello, world!"));
        assertEquals(List.of("it", "'s", " 42", "nd"), ByteLevelPreTokenizer.split("it's 42nd"));
        assertEquals(List.of("a", " ", " b", "  "), ByteLevelPreTokenizer.split("a  b  "));
        // \s+(?!\S) backtracks to leave the last whitespace character before a word on its own.
        assertEquals(List.of("x", "\n", "\n", "y"), ByteLevelPreTokenizer.split("x\n\ny"));
    }

    @Test
    void treatsUnicodeWhitespaceAsWhitespace() {
        assertEquals(
                List.of("a", "\u00A0", "b", "\u3000", "c"),
                ByteLevelPreTokenizer.split("a\u00A0b\u3000c"));
    }

    @ParameterizedTest
    @FieldSource("io.flinksip.tokenizer.TestTexts#TRICKY")
    void piecesConcatenateBackToTheText(String text) {
        assertEquals(text, String.join("", ByteLevelPreTokenizer.split(text)));
    }
}
