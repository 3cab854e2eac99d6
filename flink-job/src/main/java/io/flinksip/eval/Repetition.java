package io.flinksip.eval;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How much a continuation repeats itself: the share of its word 3-grams that repeat an earlier 3-gram of the same
 * continuation (0 for fewer than four words). A stand-in for the paper's coherence (repetition) judge, which asks which
 * of two continuations repeats itself more.
 */
final class Repetition {
    private Repetition() {
    }

    static double rate(String text) {
        String[] words = text.toLowerCase(Locale.ROOT).trim().split("\\s+");
        if (words.length < 4) {
            return 0;
        }
        Set<String> seen = new HashSet<>();
        int repeated = 0;
        int total = 0;
        for (int i = 0; i + 3 <= words.length; i++) {
            total++;
            if (!seen.add(words[i] + " " + words[i + 1] + " " + words[i + 2])) {
                repeated++;
            }
        }
        return repeated / (double) total;
    }
}
