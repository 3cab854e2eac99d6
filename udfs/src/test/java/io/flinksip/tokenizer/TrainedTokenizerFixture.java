package io.flinksip.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * One 2048-token tokenizer trained on a seeded 400 KB synthetic corpus, shared by the test classes
 * of a run so that the suite trains it once.
 */
final class TrainedTokenizerFixture {

    static final long TRAINING_SEED = 42;
    static final int VOCAB_SIZE = 2048;

    private static Path tokenizerJson;

    private TrainedTokenizerFixture() {}

    /** Returns the path of the saved {@code tokenizer.json}, training it on first use. */
    static synchronized Path tokenizerJson() {
        if (tokenizerJson == null) {
            try {
                Path file = Files.createTempFile("flink-sip-tokenizer", ".json");
                file.toFile().deleteOnExit();
                new ByteLevelBpeTrainer(VOCAB_SIZE)
                        .train(SyntheticCorpus.documents(TRAINING_SEED, 400_000))
                        .save(file);
                tokenizerJson = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizerJson;
    }

    /** Loads the shared tokenizer with the pure-Java implementation. */
    static ByteLevelBpeTokenizer pureJava() {
        try {
            return ByteLevelBpeTokenizer.load(tokenizerJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns, for each byte, the id of its single-byte token: how a generation can split a
     * character.
     */
    static int[] byteIds(TextTokenizer tokenizer, byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            String symbol = String.valueOf(ByteLevelAlphabet.symbolOf(bytes[i] & 0xFF));
            ids[i] =
                    IntStream.range(0, tokenizer.vocabSize())
                            .filter(id -> symbol.equals(tokenizer.tokenToString(id)))
                            .findFirst()
                            .orElseThrow();
        }
        return ids;
    }
}
