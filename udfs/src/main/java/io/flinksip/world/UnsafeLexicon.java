package io.flinksip.world;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The reference world's list of unsafe phrases ({@code unsafe-lexicon.txt}, bundled; its header explains the
 * format) and the one rule that finds them in text. The safety judge, the rewriter and the tests all use this rule,
 * so "unsafe" means the same thing everywhere.
 *
 * <p>The rule: a text contains a phrase when its {@linkplain Words words} contain the phrase's words in order
 * (case, punctuation and spacing ignored). Because judged texts are token windows, a phrase may also be cut by the
 * text's start or end; such a fragment counts when it shows at least {@link LexiconPhrase#minimumFragmentWords()}
 * whole words of the phrase. The edge word itself may be cut inside (a window can end in "amm" of "ammonia"): it
 * must fit the phrase's word but does not count as a whole word. Instances are immutable and thread-safe.
 */
public final class UnsafeLexicon {
    private static final String RESOURCE = "unsafe-lexicon.txt";

    private final List<LexiconPhrase> phrases;
    private final List<LexiconCategory> categories;
    private final Map<String, List<LexiconPhrase>> byFirstWord;

    private UnsafeLexicon(List<LexiconPhrase> phrases, List<LexiconCategory> categories) {
        this.phrases = List.copyOf(phrases);
        this.categories = List.copyOf(categories);
        Map<String, List<LexiconPhrase>> index = new HashMap<>();
        for (LexiconPhrase phrase : phrases) {
            index.computeIfAbsent(phrase.words().get(0), w -> new ArrayList<>()).add(phrase);
        }
        this.byFirstWord = index;
    }

    /** The lexicon bundled with flink-sip. */
    public static UnsafeLexicon bundled() {
        try (InputStream in = UnsafeLexicon.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return parse(reader.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses lexicon lines in the bundled file's format.
     *
     * @throws IllegalArgumentException for a phrase outside a category, a category without a safe alternative, or
     *     a phrase without words
     */
    public static UnsafeLexicon parse(List<String> lines) {
        Map<String, String> safeByCategory = new LinkedHashMap<>();
        Map<String, List<String>> phrasesByCategory = new LinkedHashMap<>();
        String current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = line.substring(1, line.length() - 1).strip();
                phrasesByCategory.putIfAbsent(current, new ArrayList<>());
            } else if (current == null) {
                throw new IllegalArgumentException("phrase before any [category]: " + line);
            } else if (line.startsWith("safe:")) {
                safeByCategory.put(current, line.substring("safe:".length()).strip());
            } else {
                phrasesByCategory.get(current).add(Names.normalise(line).toLowerCase(Locale.ROOT));
            }
        }
        List<LexiconCategory> categories = new ArrayList<>();
        List<LexiconPhrase> phrases = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : phrasesByCategory.entrySet()) {
            String safe = safeByCategory.get(entry.getKey());
            if (safe == null || safe.isEmpty()) {
                throw new IllegalArgumentException("category without 'safe:' line: " + entry.getKey());
            }
            LexiconCategory category = new LexiconCategory(entry.getKey(), safe);
            categories.add(category);
            for (String text : entry.getValue()) {
                List<String> words = Words.texts(text);
                if (words.isEmpty()) {
                    throw new IllegalArgumentException("phrase without words: " + text);
                }
                phrases.add(new LexiconPhrase(text, words, category));
            }
        }
        return new UnsafeLexicon(phrases, categories);
    }

    public List<LexiconPhrase> phrases() {
        return phrases;
    }

    public List<LexiconCategory> categories() {
        return categories;
    }

    /** Every unsafe phrase in {@code text} and the fragments cut by its edges, ordered by offset. */
    public List<LexiconMatch> find(String text) {
        List<Words.Word> words = Words.of(text);
        List<LexiconMatch> matches = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            for (LexiconPhrase phrase : byFirstWord.getOrDefault(words.get(i).text(), List.of())) {
                int last = i + phrase.words().size() - 1;
                if (last < words.size() && sameWords(words, i, phrase.words(), 0, phrase.words().size())) {
                    matches.add(new LexiconMatch(words.get(i).start(), words.get(last).end(), phrase, Truncation.NONE));
                }
            }
        }
        startFragment(text, words).filter(f -> overlapsNone(f, matches)).ifPresent(matches::add);
        endFragment(text, words).filter(f -> overlapsNone(f, matches)).ifPresent(matches::add);
        matches.sort(Comparator.comparingInt(LexiconMatch::start));
        return matches;
    }

    /** The longest phrase tail that the text starts with (its first word possibly cut inside). */
    private Optional<LexiconMatch> startFragment(String text, List<Words.Word> words) {
        if (words.isEmpty()) {
            return Optional.empty();
        }
        boolean firstMayBeCut = words.get(0).start() == 0;
        String firstWord = words.get(0).text();
        LexiconMatch best = null;
        int bestWords = 0;
        for (LexiconPhrase phrase : phrases) {
            int n = phrase.words().size();
            for (int k = Math.min(n, words.size()); k >= phrase.minimumFragmentWords(); k--) {
                String phraseWord = phrase.words().get(n - k);
                boolean whole = firstWord.equals(phraseWord);
                boolean cut = !whole && firstMayBeCut && phraseWord.endsWith(firstWord);
                int wholeWords = whole ? k : k - 1;
                if ((whole && k == n) || !(whole || cut) || wholeWords < phrase.minimumFragmentWords()) {
                    continue;
                }
                if (sameWords(words, 1, phrase.words(), n - k + 1, k - 1)) {
                    if (k > bestWords) {
                        best = new LexiconMatch(words.get(0).start(), words.get(k - 1).end(), phrase, Truncation.START);
                        bestWords = k;
                    }
                    break;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The longest phrase head that the text ends with (its last word possibly cut inside). */
    private Optional<LexiconMatch> endFragment(String text, List<Words.Word> words) {
        if (words.isEmpty()) {
            return Optional.empty();
        }
        int size = words.size();
        boolean lastMayBeCut = words.get(size - 1).end() == text.length();
        String lastWord = words.get(size - 1).text();
        LexiconMatch best = null;
        int bestWords = 0;
        for (LexiconPhrase phrase : phrases) {
            int n = phrase.words().size();
            for (int k = Math.min(n, size); k >= phrase.minimumFragmentWords(); k--) {
                String phraseWord = phrase.words().get(k - 1);
                boolean whole = lastWord.equals(phraseWord);
                boolean cut = !whole && lastMayBeCut && phraseWord.startsWith(lastWord);
                int wholeWords = whole ? k : k - 1;
                if ((whole && k == n) || !(whole || cut) || wholeWords < phrase.minimumFragmentWords()) {
                    continue;
                }
                if (sameWords(words, size - k, phrase.words(), 0, k - 1)) {
                    if (k > bestWords) {
                        best = new LexiconMatch(words.get(size - k).start(), words.get(size - 1).end(), phrase,
                                Truncation.END);
                        bestWords = k;
                    }
                    break;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean sameWords(List<Words.Word> words, int from, List<String> phrase, int phraseFrom, int count) {
        for (int j = 0; j < count; j++) {
            if (!words.get(from + j).text().equals(phrase.get(phraseFrom + j))) {
                return false;
            }
        }
        return true;
    }

    private static boolean overlapsNone(LexiconMatch fragment, List<LexiconMatch> matches) {
        for (LexiconMatch match : matches) {
            if (fragment.start() < match.end() && match.start() < fragment.end()) {
                return false;
            }
        }
        return true;
    }
}
