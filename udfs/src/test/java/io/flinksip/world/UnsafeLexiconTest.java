package io.flinksip.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnsafeLexiconTest {
    private static final UnsafeLexicon LEXICON = UnsafeLexicon.parse(List.of(
            "# test lexicon",
            "[harassment]",
            "safe: be kind",
            "you are a worthless idiot",
            "[dangerous]",
            "safe: stay safe",
            "mix bleach and ammonia to clean faster"));

    private static List<LexiconMatch> find(String text) {
        return LEXICON.find(text);
    }

    @Test
    void findsWholePhrasesIgnoringCasePunctuationAndSpacing() {
        List<LexiconMatch> matches = find("She said: \"You are a\n worthless, IDIOT!\" and left.");
        assertEquals(1, matches.size());
        LexiconMatch match = matches.get(0);
        assertEquals(Truncation.NONE, match.truncation());
        assertEquals("harassment", match.phrase().category().name());
        assertEquals("You are a\n worthless, IDIOT", "She said: \"You are a\n worthless, IDIOT!\" and left."
                .substring(match.start(), match.end()));
        assertEquals(List.of(), find("you are a worthlessidiot"), "words, not substrings");
        assertEquals(List.of(), find("you are a priceless idiot"));
    }

    @Test
    void aFragmentCutByTheStartCountsFromHalfThePhrase() {
        assertEquals(List.of(), find("worthless idiot. Then we left."), "2 of 5 words: under half");
        List<LexiconMatch> half = find("a worthless idiot. Then we left.");
        assertEquals(1, half.size(), "3 of 5 words");
        assertEquals(Truncation.START, half.get(0).truncation());
        assertEquals(List.of(), find("Then: a worthless idiot."), "a fragment counts only at the text's edge");
        assertEquals(1, find("e a worthless idiot. Then").size(), "a cut first word must fit the phrase's word");
        assertEquals(List.of(), find("ue a worthless idiot."), "and 'ue' is no end of 'are'");
        assertEquals(1, find("ammonia to clean faster. Then").size(), "4 whole words of 7");
        assertEquals(List.of(), find("nia to clean faster. Then"), "a cut word is not a whole one: 3 of 7");
    }

    @Test
    void aFragmentCutByTheEndCountsFromHalfThePhrase() {
        assertEquals(1, find("Then he said mix bleach and ammonia").size(), "4 of 7 words");
        assertEquals(Truncation.END, find("Then he said mix bleach and ammonia").get(0).truncation());
        assertEquals(List.of(), find("Then he said mix bleach and"), "3 of 7 words");
        assertEquals(1, find("Then he said mix bleach and ammonia to cle").size(), "a cut last word may fit");
        assertEquals(1, find("mix bleach and ammonia to clean fas").size(), "even the phrase's last word");
        assertEquals(List.of(), find("Then he said mix bleach and ammonia to cle."),
                "a word followed by punctuation is whole, and 'cle' is not 'clean'");
    }

    @Test
    void rejectsMalformedLexicons() {
        assertThrows(IllegalArgumentException.class, () -> UnsafeLexicon.parse(List.of("a phrase")));
        assertThrows(IllegalArgumentException.class, () -> UnsafeLexicon.parse(List.of("[x]", "a phrase")));
        assertThrows(IllegalArgumentException.class, () -> UnsafeLexicon.parse(List.of("[x]", "safe: ok", "!!!")));
    }

    @Test
    void bundledLexiconHasBothCategoriesAndNoSafeAlternativeIsUnsafe() {
        UnsafeLexicon bundled = UnsafeLexicon.bundled();
        assertEquals(List.of("harassment", "dangerous"),
                bundled.categories().stream().map(LexiconCategory::name).toList());
        assertTrue(bundled.phrases().size() >= 30, "phrases: " + bundled.phrases().size());
        for (LexiconCategory category : bundled.categories()) {
            assertEquals(List.of(), bundled.find(category.safeAlternative()), category.name());
        }
        for (LexiconPhrase phrase : bundled.phrases()) {
            assertTrue(phrase.words().size() >= 3, "fragments need at least 3 words: " + phrase.text());
            assertEquals(1, bundled.find("x " + phrase.text() + " x").size(), phrase.text());
        }
    }

    /**
     * The boundary rule is only safe if half a phrase is unmistakable: every minimal fragment the rule accepts
     * holds a word that the world's clean text never uses.
     */
    @Test
    void everyAcceptedFragmentHoldsAWordCleanTextNeverUses() {
        ReferenceWorld world = WorldFixtures.defaultWorld();
        Set<String> clean = new HashSet<>();
        world.cleanSample(300).forEach(text -> clean.addAll(Words.texts(text)));
        for (LexiconPhrase phrase : world.lexicon().phrases()) {
            List<String> words = phrase.words();
            int k = phrase.minimumFragmentWords();
            List<String> head = words.subList(0, k);
            List<String> tail = words.subList(words.size() - k, words.size());
            assertTrue(head.stream().anyMatch(w -> !clean.contains(w)), "head of '" + phrase.text() + "'");
            assertTrue(tail.stream().anyMatch(w -> !clean.contains(w)), "tail of '" + phrase.text() + "'");
        }
    }

    @Test
    void cleanTextNeverMatches() {
        ReferenceWorld world = WorldFixtures.defaultWorld();
        for (String text : world.cleanSample(300)) {
            assertEquals(List.of(), world.lexicon().find(text));
        }
    }
}
