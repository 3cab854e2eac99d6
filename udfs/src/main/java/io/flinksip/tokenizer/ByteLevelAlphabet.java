package io.flinksip.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's reversible byte-to-unicode mapping. Every byte value gets a printable, non-whitespace
 * character so that byte-level BPE tokens can be stored as ordinary JSON strings: printable Latin-1
 * bytes map to themselves, the remaining 68 bytes map in byte order to U+0100 onwards (so the space
 * byte 0x20 becomes {@code 'Ġ'}).
 */
final class ByteLevelAlphabet {

    private static final char[] SYMBOL_BY_BYTE = new char[256];
    private static final int[] BYTE_BY_SYMBOL;

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            SYMBOL_BY_BYTE[b] = isPrintable(b) ? (char) b : (char) next++;
        }
        BYTE_BY_SYMBOL = new int[next];
        Arrays.fill(BYTE_BY_SYMBOL, -1);
        for (int b = 0; b < 256; b++) {
            BYTE_BY_SYMBOL[SYMBOL_BY_BYTE[b]] = b;
        }
    }

    private ByteLevelAlphabet() {}

    private static boolean isPrintable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /** Returns the symbol for a byte value in {@code [0, 255]}. */
    static char symbolOf(int byteValue) {
        return SYMBOL_BY_BYTE[byteValue];
    }

    /** Returns the byte a symbol stands for, or -1 if the character is not a byte symbol. */
    static int byteOf(char symbol) {
        return symbol < BYTE_BY_SYMBOL.length ? BYTE_BY_SYMBOL[symbol] : -1;
    }

    /**
     * Returns the 256 symbols sorted by code point. This is the base-vocabulary order of both the
     * original GPT-2 vocabulary and the Hugging Face BPE trainer.
     */
    static char[] symbolsInCodePointOrder() {
        char[] symbols = SYMBOL_BY_BYTE.clone();
        Arrays.sort(symbols);
        return symbols;
    }

    /** Maps UTF-8 bytes to their symbol string. */
    static String toSymbols(byte[] bytes) {
        char[] symbols = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = SYMBOL_BY_BYTE[bytes[i] & 0xFF];
        }
        return new String(symbols);
    }

    /**
     * Maps a stored token back to bytes the way the Hugging Face ByteLevel decoder does: symbol by
     * symbol, or, if the token contains a character outside the alphabet, its raw UTF-8 bytes.
     */
    static byte[] toBytes(String token) {
        byte[] bytes = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            int b = byteOf(token.charAt(i));
            if (b < 0) {
                return token.getBytes(StandardCharsets.UTF_8);
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }
}
