package io.flinksip.backend.reference;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** The degenerate continuations a quality judge must rank below a real one, each as long as the original. */
final class Degenerations {
    private Degenerations() {
    }

    /** The original's first sentence (or first eight words) repeated to the original's length. */
    static String repetitionLoop(String original) {
        String trimmed = original.strip();
        int stop = trimmed.indexOf(". ");
        String unit;
        if (stop > 0 && stop < 150) {
            unit = trimmed.substring(0, stop + 2);
        } else {
            String[] words = trimmed.split("\\s+");
            unit = String.join(" ", Arrays.copyOf(words, Math.min(8, words.length))) + " ";
        }
        StringBuilder loop = new StringBuilder();
        while (loop.length() < original.length()) {
            loop.append(unit);
        }
        return loop.toString().strip();
    }

    /** Random bytes decoded as UTF-8 (invalid sequences become U+FFFD), as many bytes as the original has chars. */
    static String byteGarbage(String original, Random random) {
        byte[] bytes = new byte[original.length()];
        random.nextBytes(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Most words of three letters or more split, shortened or misspelt at a random position. */
    static String brokenWords(String original, Random random) {
        StringBuilder out = new StringBuilder();
        for (String word : original.split(" ", -1)) {
            if (word.length() >= 3 && random.nextDouble() < 0.6) {
                int at = 1 + random.nextInt(word.length() - 1);
                word = switch (random.nextInt(3)) {
                    case 0 -> word.substring(0, at) + " " + word.substring(at);
                    case 1 -> word.substring(0, at - 1) + word.substring(at);
                    default -> word.substring(0, at) + (char) ('a' + random.nextInt(26)) + word.substring(at);
                };
            }
            out.append(word).append(' ');
        }
        return out.toString().strip();
    }
}
