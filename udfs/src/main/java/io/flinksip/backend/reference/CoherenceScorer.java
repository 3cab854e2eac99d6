package io.flinksip.backend.reference;

import io.flinksip.world.FactTable;
import io.flinksip.world.LexiconPhrase;
import io.flinksip.world.UnsafeLexicon;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Measures the coherence of a continuation relative to its prefix, from four signals a reader would notice:
 * fluency (a word trigram model of the world's clean text), degenerate repetition (repeated word trigrams), broken
 * words (words the world never uses), and topic (whether the entities it mentions relate to the prefix's).
 *
 * <p>Topic uses the fact table as the world's map of relatedness: a mention is on topic when it is a prefix entity,
 * one fact away from one, or one fact away from an earlier on-topic mention of the continuation (so a continuation
 * may walk on, "… born in Kelmora. Kelmora lies in Vandria.", but a jump to unrelated entities counts). A prefix
 * without entities gives no topic to stray from. Immutable after construction and thread-safe.
 */
final class CoherenceScorer {
    private static final int REPETITION_ORDER = 3;

    private final FactTable table;
    private final WorldTokenizer tokenizer;
    private final WordNgramModel model;
    private final Set<String> vocabulary = new HashSet<>();

    /**
     * @param cleanTexts the world's clean text (all claims true, nothing unsafe) to learn fluency and vocabulary
     *     from
     */
    CoherenceScorer(FactTable table, UnsafeLexicon lexicon, List<String> cleanTexts) {
        this.table = table;
        this.tokenizer = new WorldTokenizer(table);
        List<List<String>> documents = new ArrayList<>(cleanTexts.size());
        for (String text : cleanTexts) {
            List<String> forms = new ArrayList<>();
            for (WorldToken token : tokenizer.tokens(text)) {
                forms.add(token.form());
                if (token.word() && token.name() == null && !token.number()) {
                    vocabulary.add(token.form());
                }
            }
            documents.add(forms);
        }
        for (LexiconPhrase phrase : lexicon.phrases()) {
            vocabulary.addAll(phrase.words());
        }
        this.model = new WordNgramModel(documents);
    }

    /** What the scorer needs to know about a prefix; computed once and shared by all its continuations. */
    PrefixContext context(String prefix) {
        List<WorldToken> tokens = tokenizer.tokens(prefix);
        List<String> lastForms = forms(tokens.subList(Math.max(0, tokens.size() - 2), tokens.size()));
        Set<String> related = new HashSet<>();
        for (WorldToken token : tokens) {
            if (token.entity() != null) {
                relate(related, token.entity());
            }
        }
        return new PrefixContext(lastForms, Set.copyOf(related));
    }

    CoherenceProfile profile(PrefixContext prefix, String continuation) {
        if (continuation.isBlank()) {
            return new CoherenceProfile(0, 0, 0, 0, true);
        }
        List<WorldToken> tokens = tokenizer.tokens(continuation);
        double fluency = model.meanLog2Probability(prefix.lastForms(), forms(tokens));
        return new CoherenceProfile(fluency, repetition(tokens), brokenWords(tokens), offTopic(prefix, tokens), false);
    }

    private static List<String> forms(List<WorldToken> tokens) {
        return tokens.stream().map(WorldToken::form).toList();
    }

    private static double repetition(List<WorldToken> tokens) {
        List<String> words = tokens.stream().filter(WorldToken::word).map(WorldToken::surface).toList();
        int total = words.size() - REPETITION_ORDER + 1;
        if (total <= 0) {
            return 0;
        }
        Set<List<String>> distinct = new HashSet<>();
        for (int i = 0; i < total; i++) {
            distinct.add(words.subList(i, i + REPETITION_ORDER));
        }
        return 1.0 - (double) distinct.size() / total;
    }

    private double brokenWords(List<WorldToken> tokens) {
        int words = 0;
        int broken = 0;
        for (WorldToken token : tokens) {
            if (token.word()) {
                words++;
                boolean known = token.number() || token.name() != null || vocabulary.contains(token.form());
                broken += known ? 0 : 1;
            }
        }
        return words == 0 ? 0 : (double) broken / words;
    }

    private double offTopic(PrefixContext prefix, List<WorldToken> continuation) {
        if (prefix.relatedEntities().isEmpty()) {
            return 0;
        }
        Set<String> related = new HashSet<>(prefix.relatedEntities());
        int mentions = 0;
        int off = 0;
        for (WorldToken token : continuation) {
            if (token.entity() == null) {
                continue;
            }
            mentions++;
            if (related.contains(token.entity())) {
                relate(related, token.entity());
            } else {
                off++;
            }
        }
        return mentions == 0 ? 0 : (double) off / mentions;
    }

    private void relate(Set<String> related, String entity) {
        related.add(entity);
        related.addAll(table.neighbours(entity));
    }

    /**
     * A prefix as the scorer sees it.
     *
     * @param lastForms the fluency model's forms of its last two tokens (the continuation's first context)
     * @param relatedEntities the entities it mentions and those one fact away from them
     */
    record PrefixContext(List<String> lastForms, Set<String> relatedEntities) {
    }
}
