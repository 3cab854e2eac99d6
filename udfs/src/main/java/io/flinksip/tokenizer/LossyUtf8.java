package io.flinksip.tokenizer;

/**
 * UTF-8 conversions that never fail.
 *
 * <p>Decoding: each maximal invalid subpart becomes one U+FFFD, the practice recommended by Unicode
 * (chapter 3, "U+FFFD Substitution of Maximal Subparts") and used by Rust's {@code
 * String::from_utf8_lossy}, which the Hugging Face ByteLevel decoder calls.
 *
 * <p>The JDK's decoder is not used because it substitutes differently for some inputs (it turns the
 * encoded surrogate {@code ED A0 80} into one U+FFFD where Rust produces three), and both tokenizer
 * implementations must decode the same ids to the same string.
 */
final class LossyUtf8 {

    private static final char REPLACEMENT = '\uFFFD';

    private LossyUtf8() {}

    /**
     * Replaces unpaired surrogates, which have no UTF-8 encoding, with U+FFFD. Without this the two
     * tokenizer implementations would disagree: the JDK encodes an unpaired surrogate as {@code
     * '?'}, while the native library receives it through JNI as three invalid bytes.
     */
    static String replaceUnpairedSurrogates(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            boolean unpaired =
                    codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
            if (unpaired && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.appendCodePoint(unpaired ? REPLACEMENT : codePoint);
            }
            i += Character.charCount(codePoint);
        }
        return out == null ? text : out.toString();
    }

    /** Decodes {@code bytes}, replacing ill-formed sequences with U+FFFD. */
    static String decode(byte[] bytes) {
        int length = bytes.length;
        StringBuilder out = new StringBuilder(length);
        int i = 0;
        while (i < length) {
            int lead = bytes[i] & 0xFF;
            if (lead < 0x80) {
                out.append((char) lead);
                i++;
                continue;
            }
            int sequenceLength = sequenceLength(lead);
            if (sequenceLength == 0) {
                out.append(REPLACEMENT);
                i++;
                continue;
            }
            int codePoint = lead & (0x7F >> sequenceLength);
            int next = i + 1;
            boolean complete = true;
            for (int k = 1; k < sequenceLength; k++, next++) {
                if (next >= length || !isValidContinuation(lead, k, bytes[next] & 0xFF)) {
                    complete = false;
                    break;
                }
                codePoint = (codePoint << 6) | (bytes[next] & 0x3F);
            }
            if (complete) {
                out.appendCodePoint(codePoint);
            } else {
                out.append(REPLACEMENT);
            }
            i = next;
        }
        return out.toString();
    }

    /** Returns the length of the sequence a lead byte starts, or 0 if it cannot start one. */
    private static int sequenceLength(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /**
     * Whether {@code value} may be the {@code position}-th byte after {@code lead}; the second
     * byte's range depends on the lead byte so that overlong forms, surrogates and code points
     * above U+10FFFF are rejected at the earliest byte (Unicode table 3-7).
     */
    private static boolean isValidContinuation(int lead, int position, int value) {
        if (position > 1) {
            return value >= 0x80 && value <= 0xBF;
        }
        return switch (lead) {
            case 0xE0 -> value >= 0xA0 && value <= 0xBF;
            case 0xED -> value >= 0x80 && value <= 0x9F;
            case 0xF0 -> value >= 0x90 && value <= 0xBF;
            case 0xF4 -> value >= 0x80 && value <= 0x8F;
            default -> value >= 0x80 && value <= 0xBF;
        };
    }
}
