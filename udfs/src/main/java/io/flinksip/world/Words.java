package io.flinksip.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into lower-cased words with their offsets, ignoring punctuation and spacing. Phrase matching works on
 * these words, so "Mix bleach, and ammonia" and "mix  bleach and ammonia" are the same words, while "skill" never
 * matches "kill". A word keeps inner apostrophes ("neighbour's").
 */
public final class Words {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}\\p{N}]+(?:['\u2019][\\p{L}\\p{M}\\p{N}]+)*");

    private Words() {
    }

    /** A word: its lower-cased text and where it is. */
    public record Word(String text, int start, int end) {
    }

    /** The words of {@code text}, in order. */
    public static List<Word> of(String text) {
        List<Word> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            words.add(new Word(m.group().toLowerCase(Locale.ROOT), m.start(), m.end()));
        }
        return words;
    }

    /** The lower-cased words of {@code text}, without offsets. */
    public static List<String> texts(String text) {
        return of(text).stream().map(Word::text).toList();
    }
}
