package io.flinksip.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Shared, lazily built test data: the default world (built once per test JVM) and word-boundary chunks. */
public final class WorldFixtures {
    private static ReferenceWorld defaultWorld;

    private WorldFixtures() {
    }

    /** The world of {@link WorldConfig#defaults()}. */
    public static synchronized ReferenceWorld defaultWorld() {
        if (defaultWorld == null) {
            defaultWorld = ReferenceWorld.generate(WorldConfig.defaults());
        }
        return defaultWorld;
    }

    /** The first {@code count} train documents of the default world. */
    public static List<GeneratedDocument> trainDocuments(int count) {
        List<GeneratedDocument> documents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            documents.add(defaultWorld().documents().generate(Split.TRAIN, i));
        }
        return documents;
    }

    /**
     * A window of {@code words} consecutive words of {@code text}, starting at a random word: the text before it
     * (the prefix), the window itself from the first character of its first word to the first character of the
     * word after it (so it ends with that whitespace, like a token window), and its offsets. Null when the text has
     * too few words.
     */
    public static Chunk chunk(String text, int words, Random random) {
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i)) && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                starts.add(i);
            }
        }
        if (starts.size() <= words) {
            return null;
        }
        int first = random.nextInt(starts.size() - words);
        int start = starts.get(first);
        int end = starts.get(first + words);
        return new Chunk(text.substring(0, start), text.substring(start, end), start, end);
    }

    /**
     * A window of about {@code chars} characters starting and ending at random characters, as a token window may
     * (byte-level BPE tokens can start or end inside a word). Null when the text is too short.
     */
    public static Chunk charWindow(String text, int chars, Random random) {
        if (text.length() <= chars) {
            return null;
        }
        int start = random.nextInt(text.length() - chars);
        return new Chunk(text.substring(0, start), text.substring(start, start + chars), start, start + chars);
    }

    /** A window of a document: {@code text = document[start, end)}, {@code prefix = document[0, start)}. */
    public record Chunk(String prefix, String text, int start, int end) {
    }
}
