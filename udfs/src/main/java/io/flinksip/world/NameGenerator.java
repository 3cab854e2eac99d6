package io.flinksip.world;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Invents names from random syllables (never from lists of real names), so the world's entities are fictional and a
 * model cannot lean on anything it may have read elsewhere. Each kind has its own shape (towns end in "-holm",
 * "-wick" …, countries in "-ia", "-and" …, a country's language shares its stem, companies are a stem plus "Foundry",
 * "Mills" …, persons have two names), which keeps texts readable.
 *
 * <p>Names never reuse a word of the world's prose (a town called "Market" would make prose ambiguous), and a word
 * belongs to one role only: person names may share words with other person names, company suffixes are shared by
 * companies, every other word belongs to one name. That keeps a name cut at a text boundary ("Vask", "Foundry")
 * resolvable to names of a single kind.
 */
final class NameGenerator {
    private static final String[] ONSETS = {"b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v",
        "z", "br", "dr", "kr", "st", "th"};
    private static final String[] VOWELS = {"a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea"};
    private static final String[] CODAS = {"n", "r", "l", "s", "m", "nd", "rk", "st"};
    private static final String[] TOWN_ENDINGS = {"holm", "wick", "mere", "dal", "stad", "vik", "by", "ton"};
    private static final String[] COUNTRY_ENDINGS = {"ia", "and", "ar", "esh"};
    private static final String[] LANGUAGE_ENDINGS = {"ish", "ic", "ese", "i"};
    private static final String[] RIVER_ENDINGS = {"l", "ra", "ne", "sk", "th"};
    private static final String[] COMPANY_SUFFIXES = {"Foundry", "Mills", "Trading", "Holdings", "Brothers", "Guild",
        "Ironworks", "Exchange", "Partners", "Cooperative"};

    private static final int MAX_ATTEMPTS = 10_000_000;

    private final Random random;
    private final Set<String> reservedWords;
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> roleOfWord = new HashMap<>();
    private int attempts;

    /**
     * @param random the stream to draw from
     * @param reservedWords lower-case words names must not use (the world's prose vocabulary)
     */
    NameGenerator(Random random, Set<String> reservedWords) {
        this.random = random;
        this.reservedWords = reservedWords;
    }

    String person() {
        return unique("person", () -> capital(syllable(false) + syllable(true)) + " "
                + capital(syllable(false) + syllable(true)), true);
    }

    String town() {
        return unique("town", () -> capital(syllable(false) + syllable(false) + pick(TOWN_ENDINGS)), false);
    }

    /** A country and its language, sharing a stem ("Tamoria", "Tamorish"). */
    String[] countryAndLanguage() {
        while (true) {
            countAttempt();
            String stem = capital(syllable(false) + syllable(true));
            String country = stem + pick(COUNTRY_ENDINGS);
            String language = stem + pick(LANGUAGE_ENDINGS);
            if (available(country, "country", false) && available(language, "language", false)) {
                assign(country, "country");
                assign(language, "language");
                return new String[] {country, language};
            }
        }
    }

    String river() {
        return unique("river", () -> capital(syllable(false) + syllable(false) + pick(RIVER_ENDINGS)), false);
    }

    String company() {
        while (true) {
            countAttempt();
            String stem = capital(syllable(true) + syllable(false));
            String suffix = pick(COMPANY_SUFFIXES);
            String name = stem + " " + suffix;
            if (available(stem, "company", false) && available(suffix, "company-suffix", true)
                    && !names.contains(name)) {
                assign(stem, "company");
                assign(suffix, "company-suffix");
                names.add(name);
                return name;
            }
        }
    }

    private String unique(String role, Supplier<String> draw, boolean sharedWords) {
        while (true) {
            countAttempt();
            String name = draw.get();
            boolean free = !names.contains(name);
            for (String word : name.split(" ")) {
                free &= available(word, role, sharedWords);
            }
            if (free) {
                for (String word : name.split(" ")) {
                    assign(word, role);
                }
                names.add(name);
                return name;
            }
        }
    }

    /** Free for {@code role}: long enough not to be a fragment of other words, not prose, not another role's. */
    private boolean available(String word, String role, boolean shared) {
        if (word.length() < 4 || reservedWords.contains(word.toLowerCase(Locale.ROOT))) {
            return false;
        }
        String owner = roleOfWord.get(word);
        return owner == null || (shared && owner.equals(role));
    }

    private void assign(String word, String role) {
        roleOfWord.put(word, role);
    }

    private String syllable(boolean withCoda) {
        return pick(ONSETS) + pick(VOWELS) + (withCoda ? pick(CODAS) : "");
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private static String capital(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /** Guards against a world asking for more names than the syllables can make. */
    private void countAttempt() {
        if (++attempts > MAX_ATTEMPTS) {
            throw new IllegalStateException("cannot invent more unique names; ask for fewer entities");
        }
    }
}
