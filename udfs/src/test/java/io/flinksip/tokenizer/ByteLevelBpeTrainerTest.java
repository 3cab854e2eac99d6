package io.flinksip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

class ByteLevelBpeTrainerTest {

    @TempDir Path dir;

    @Test
    void sameCorpusAndVocabSizeGiveByteIdenticalTokenizerJson() throws IOException {
        List<String> corpus = SyntheticCorpus.documents(7, 200_000);
        Path first = dir.resolve("first.json");
        Path second = dir.resolve("second.json");

        new ByteLevelBpeTrainer(1024).train(corpus).save(first);
        new ByteLevelBpeTrainer(1024).train(corpus).save(second);

        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    @Test
    void documentOrderDoesNotChangeTheTokenizer() throws IOException {
        List<String> corpus = SyntheticCorpus.documents(7, 200_000);
        List<String> shuffled = new ArrayList<>(corpus);
        Collections.shuffle(shuffled, new Random(1));
        Path ordered = dir.resolve("ordered.json");
        Path reordered = dir.resolve("reordered.json");

        new ByteLevelBpeTrainer(1024).train(corpus).save(ordered);
        new ByteLevelBpeTrainer(1024).train(shuffled).save(reordered);

        assertArrayEquals(Files.readAllBytes(ordered), Files.readAllBytes(reordered));
    }

    @Test
    void incrementalCountsLearnTheSameMergesAsRecountingEveryStep() throws IOException {
        List<String> corpus = SyntheticCorpus.documents(5, 40_000);
        Path file = dir.resolve("incremental.json");
        new ByteLevelBpeTrainer(800).train(corpus).save(file);

        List<String> merges =
                TokenizerJsonFile.read(file).toByteLevelBpeModel().merges().stream()
                        .map(merge -> merge.left() + " " + merge.right())
                        .toList();

        assertEquals(NaiveBpeReference.merges(corpus, 800, 1), merges);
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 256, 511, 4097, 50_257})
    void rejectsVocabSizesOutside512To4096(int vocabSize) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> new ByteLevelBpeTrainer(vocabSize));
        assertTrue(e.getMessage().contains("between 512 and 4096"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void acceptsTheBoundaryVocabSizes(int vocabSize) {
        assertDoesNotThrow(() -> new ByteLevelBpeTrainer(vocabSize));
    }

    @Test
    void laysOutSpecialTokensThenBytesThenMerges() {
        ByteLevelBpeTokenizer tokenizer = TrainedTokenizerFixture.pureJava();

        assertEquals(TrainedTokenizerFixture.VOCAB_SIZE, tokenizer.vocabSize());
        assertEquals(0, tokenizer.eosTokenId());
        assertEquals(0, tokenizer.padTokenId());
        assertEquals("<|endoftext|>", tokenizer.tokenToString(0));
        assertEquals("!", tokenizer.tokenToString(1));
        assertEquals(
                String.valueOf(ByteLevelAlphabet.symbolOf(0x20)), tokenizer.tokenToString(1 + 220));
        assertEquals(2, tokenizer.tokenToString(257).length(), "first merge joins two symbols");
    }

    @Test
    void configuredPadTokenGetsItsOwnIdAndSurvivesSaving() throws IOException {
        List<String> corpus = SyntheticCorpus.documents(3, 50_000);
        ByteLevelBpeTokenizer trained =
                new ByteLevelBpeTrainer(600, SpecialTokens.WITH_PAD).train(corpus);
        Path file = dir.resolve("pad.json");
        trained.save(file);
        ByteLevelBpeTokenizer loaded = ByteLevelBpeTokenizer.load(file);

        for (TextTokenizer tokenizer : List.of(trained, loaded)) {
            assertEquals(0, tokenizer.eosTokenId());
            assertEquals(1, tokenizer.padTokenId());
            assertEquals("<|pad|>", tokenizer.tokenToString(1));
            assertEquals(600, tokenizer.vocabSize());
        }
    }

    @Test
    void rejectsSpecialTokenNamesThatLoadingWouldNotRecognise() {
        assertThrows(IllegalArgumentException.class, () -> new SpecialTokens("<bos>", "<bos>"));
        assertThrows(IllegalArgumentException.class, () -> new SpecialTokens("</s>", "<filler>"));
    }

    @Test
    void tinyCorpusYieldsASmallerButWorkingVocabulary() {
        ByteLevelBpeTokenizer tokenizer =
                new ByteLevelBpeTrainer(512).train(List.of("hello hello world"));

        assertTrue(tokenizer.vocabSize() < 512, "vocab " + tokenizer.vocabSize());
        assertEquals("hello world", tokenizer.decode(tokenizer.encode("hello world")));
    }

    /**
     * Measures training on 1 MB, the size the brief budgets "a few seconds" for on 2 cores. The
     * assertion only guards against accidental quadratic behaviour; the time is printed.
     */
    @Test
    void trainsOneMegabyteTo2048TokensInSeconds() {
        List<String> corpus = SyntheticCorpus.documents(11, 1_000_000);
        long bytes =
                corpus.stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();

        long start = System.nanoTime();
        ByteLevelBpeTokenizer tokenizer = new ByteLevelBpeTrainer(2048).train(corpus);
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.printf(
                "Trained %d bytes to %d tokens in %.2f s%n", bytes, tokenizer.vocabSize(), seconds);
        assertEquals(2048, tokenizer.vocabSize());
        assertTrue(seconds < 30, "training took " + seconds + " s");
    }
}
