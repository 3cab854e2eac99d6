package io.flinksip.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on text real corpora hold (runs of one character, very long words, binary-looking lines) finishes, keeps
 * every token within the cap, and writes a tokenizer both backends load and that round-trips the corpus.
 */
class TokenizerTrainerRobustnessTest {

    /** A corpus mixing ordinary prose with one kind of pathological text, chosen by the seed. */
    static List<String> corpus(long seed) {
        Random r = new Random(seed);
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            docs.add("The harbour of town " + i + " opens at dawn, and the market sells fish and bread.");
        }
        switch ((int) (seed % 5)) {
            case 0 -> docs.add("a".repeat(100_000)); // the reported failure
            case 1 -> docs.add(randomWord(r, 20_000)); // one very long word
            case 2 -> docs.add(binaryLooking(r, 5_000));
            case 3 -> docs.add("\n".repeat(10_000) + "x" + " ".repeat(5_000) + "9".repeat(30_000));
            default -> {
                StringBuilder runs = new StringBuilder();
                for (int k = 0; k < 50; k++) {
                    runs.append(String.valueOf((char) ('a' + r.nextInt(26))).repeat(1 + r.nextInt(3_000))).append(' ');
                }
                docs.add(runs.toString());
            }
        }
        return docs;
    }

    private static String randomWord(Random r, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + r.nextInt(4)));
        }
        return sb.toString();
    }

    /** Control characters, NUL, replacement characters, CJK, emoji (surrogate pairs), never a lone surrogate. */
    private static String binaryLooking(Random r, int length) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            int kind = r.nextInt(4);
            int cp = switch (kind) {
                case 0 -> r.nextInt(0x20);
                case 1 -> 0xFFFD;
                case 2 -> 0x4E00 + r.nextInt(0x5000);
                default -> 0x1F300 + r.nextInt(0x300);
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed target
    void pathologicalCorporaTrainATokenizerBothBackendsLoadAndRoundTrip(long seed, @TempDir Path dir)
            throws IOException {
        List<String> docs = corpus(seed);
        ByteLevelBpeTokenizer trained = new ByteLevelBpeTrainer(1024).train(docs);
        int longest = trained.model().vocab().keySet().stream().mapToInt(String::length).max().orElse(0);
        assertTrue(longest <= ByteLevelBpeTrainer.DEFAULT_MAX_TOKEN_LENGTH, "longest token " + longest);
        Path file = dir.resolve("tokenizer.json");
        trained.save(file);
        try (TextTokenizer pure = Tokenizers.load(file, TokenizerBackend.PURE_JAVA);
                TextTokenizer hf = Tokenizers.load(file, TokenizerBackend.HUGGING_FACE_NATIVE)) {
            for (String doc : docs) {
                int[] ids = pure.encode(doc);
                assertEquals(doc, pure.decode(ids), "pure Java round-trips seed " + seed);
                assertArrayEquals(ids, hf.encode(doc), "both backends give the same ids, seed " + seed);
                assertEquals(doc, hf.decode(ids), "the native backend round-trips seed " + seed);
            }
        }
    }

    @Test
    void theCapIsConfigurableAndBounded() {
        ByteLevelBpeTokenizer t = new ByteLevelBpeTrainer(600, SpecialTokens.DEFAULT, 4).train(corpus(0));
        assertTrue(t.model().vocab().keySet().stream().allMatch(s -> s.length() <= 4
                || t.model().addedTokens().stream().anyMatch(a -> a.content().equals(s))),
                "no learned token longer than 4");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ByteLevelBpeTrainer(600, SpecialTokens.DEFAULT, 1));
    }
}
