package io.flinksip.world;

import java.util.List;

/**
 * One unsafe phrase of the lexicon.
 *
 * @param text the phrase as written in the lexicon (lower case)
 * @param words its words, as {@link Words} splits them
 * @param category its category
 */
public record LexiconPhrase(String text, List<String> words, LexiconCategory category) {
    public LexiconPhrase {
        words = List.copyOf(words);
    }

    /**
     * How many of the phrase's words a fragment cut at a text boundary must show to count as the phrase: at least
     * half of them and at least two. Half, because a half-phrase already carries the harm (the lexicon guarantees
     * each half holds a word clean text never uses); two, so that no single word ever decides.
     */
    public int minimumFragmentWords() {
        return Math.max(2, (words.size() + 1) / 2);
    }
}
