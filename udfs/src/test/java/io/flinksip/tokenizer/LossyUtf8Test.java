package io.flinksip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

class LossyUtf8Test {

    /** Expected strings are what Rust's from_utf8_lossy (the native decoder) returns. */
    @ParameterizedTest
    @CsvSource({
        "F09F98, \uFFFD", // emoji missing its last byte
        "F09F9841, \uFFFDA", // ... followed by ASCII
        "8080, \uFFFD\uFFFD", // stray continuation bytes
        "EDA080, \uFFFD\uFFFD\uFFFD", // encoded surrogate (the JDK gives one U+FFFD)
        "C080, \uFFFD\uFFFD", // overlong NUL
        "F4908080, \uFFFD\uFFFD\uFFFD\uFFFD", // above U+10FFFF
        "E28241F09F, \uFFFDA\uFFFD", // two truncated sequences
        "FFFE41, \uFFFD\uFFFDA" // bytes that never occur in UTF-8
    })
    void replacesEachMaximalInvalidSubpartWithOneReplacementCharacter(String hex, String expected) {
        byte[] bytes = HexFormat.of().parseHex(hex);

        assertEquals(expected, LossyUtf8.decode(bytes));
    }

    @Test
    void decodesValidUtf8LikeTheJdk() {
        String text =
                "plain, café, 中文, 😀👨‍👩‍👧‍👦,"
                        + " \u0000\u007F\u0080\u07FF\u0800\uFFFF\uD800\uDC00\uDBFF\uDFFF";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        assertEquals(text, LossyUtf8.decode(bytes));
    }

    @Test
    void replacesOnlyUnpairedSurrogates() {
        assertEquals("a\uFFFDb", LossyUtf8.replaceUnpairedSurrogates("a\uD800b"));
        assertEquals("\uFFFD\uFFFD", LossyUtf8.replaceUnpairedSurrogates("\uDE00\uD83D"));
        String valid = "emoji \uD83D\uDE00";
        assertSame(valid, LossyUtf8.replaceUnpairedSurrogates(valid));
    }
}
