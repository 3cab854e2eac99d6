package io.flinksip.backend.reference;

import io.flinksip.world.FactTable;
import io.flinksip.world.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into {@link WorldToken}s: words, single punctuation marks, and each of the world's generated names as
 * one token (the longest run of space-separated words starting with a capital that is a known name). Immutable and
 * thread-safe.
 */
final class WorldTokenizer {
    private static final Pattern TOKEN = Pattern.compile(
            "([\\p{L}\\p{M}\\p{N}]+(?:['\u2019][\\p{L}\\p{M}\\p{N}]+)*)|[^\\s\\p{L}\\p{M}\\p{N}]");

    private final FactTable table;

    WorldTokenizer(FactTable table) {
        this.table = table;
    }

    List<WorldToken> tokens(String text) {
        List<Raw> raw = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        int previousEnd = 0;
        while (m.find()) {
            raw.add(new Raw(m.group(), m.group(1) != null, m.start() > previousEnd));
            previousEnd = m.end();
        }
        List<WorldToken> tokens = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            int nameWords = nameAt(raw, i);
            if (nameWords > 0) {
                String name = join(raw, i, nameWords);
                Kind kind = table.kindOf(name).orElseThrow();
                tokens.add(new WorldToken("<" + kind.name().toLowerCase(Locale.ROOT) + ">",
                        name.toLowerCase(Locale.ROOT), name, kind, true, false));
                i += nameWords - 1;
            } else {
                tokens.add(plain(raw.get(i)));
            }
        }
        return tokens;
    }

    /** How many tokens from {@code i} form the longest known name, or 0. */
    private int nameAt(List<Raw> raw, int i) {
        if (!raw.get(i).word() || !Character.isUpperCase(raw.get(i).text().codePointAt(0))) {
            return 0;
        }
        int longest = Math.min(table.maxNameWords(), raw.size() - i);
        for (int n = longest; n >= 1; n--) {
            if (spacedWords(raw, i, n) && table.kindOf(join(raw, i, n)).isPresent()) {
                return n;
            }
        }
        return 0;
    }

    private static boolean spacedWords(List<Raw> raw, int i, int n) {
        for (int j = i + 1; j < i + n; j++) {
            if (!raw.get(j).word() || !raw.get(j).spaceBefore()) {
                return false;
            }
        }
        return true;
    }

    private static String join(List<Raw> raw, int from, int count) {
        StringBuilder name = new StringBuilder(raw.get(from).text());
        for (int j = from + 1; j < from + count; j++) {
            name.append(' ').append(raw.get(j).text());
        }
        return name.toString();
    }

    private static WorldToken plain(Raw token) {
        String lower = token.text().toLowerCase(Locale.ROOT);
        boolean number = token.word() && token.text().chars().allMatch(Character::isDigit);
        return new WorldToken(number ? "<num>" : lower, lower, null, null, token.word(), number);
    }

    /** A token before name grouping: its text, whether it is a word, whether whitespace precedes it. */
    private record Raw(String text, boolean word, boolean spaceBefore) {
    }
}
