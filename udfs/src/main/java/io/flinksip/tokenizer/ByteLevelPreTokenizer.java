package io.flinksip.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hugging Face {@code ByteLevel} pre-tokenizer with {@code use_regex=true} and {@code
 * add_prefix_space=false}: text is split with GPT-2's regex and BPE never merges across pieces.
 *
 * <p>The regex is GPT-2's, character for character. Hugging Face evaluates it with Oniguruma, whose
 * {@code \s} is Unicode White_Space; {@link Pattern#UNICODE_CHARACTER_CLASS} gives Java's {@code
 * \s} the same meaning (without it Java would only match ASCII whitespace and split text containing
 * e.g. U+00A0 or U+3000 differently). {@code \p{L}} and {@code \p{N}} follow the JDK's Unicode
 * tables, which can lag the native library's for characters assigned very recently.
 */
final class ByteLevelPreTokenizer {

    private static final Pattern GPT2_SPLIT =
            Pattern.compile(
                    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+|"
                            + " ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
                    Pattern.UNICODE_CHARACTER_CLASS);

    private ByteLevelPreTokenizer() {}

    /**
     * Passes each piece of {@code text} to {@code consumer}, in order. The regex matches every
     * character, so the pieces concatenate back to the text.
     */
    static void forEachPiece(String text, Consumer<String> consumer) {
        Matcher matcher = GPT2_SPLIT.matcher(text);
        while (matcher.find()) {
            consumer.accept(matcher.group());
        }
    }

    /** Returns the pieces of {@code text}; see {@link #forEachPiece}. */
    static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        forEachPiece(text, pieces::add);
        return pieces;
    }
}
