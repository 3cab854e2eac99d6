package io.flinksip.backend.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordNgramModelTest {
    private static final List<List<String>> TRAINING = List.of(
            List.of("the", "town", "lies", "in", "<country>", "."),
            List.of("the", "town", "was", "founded", "in", "<num>", "."),
            List.of("the", "river", "lies", "in", "<country>", "."));
    private final WordNgramModel model = new WordNgramModel(TRAINING);

    /** Interpolated discounting must still be a distribution: over every known form plus the unknown one, it sums to 1. */
    @Test
    void probabilitiesSumToOneInEveryContext() {
        List<String> vocabulary = new ArrayList<>(List.of("the", "town", "lies", "in", "<country>", ".", "was",
                "founded", "<num>", "river", WordNgramModel.BOUNDARY, "an-unknown-form"));
        List<List<String>> contexts = List.of(List.of("the", "town"), List.of("lies", "in"), List.of("."),
                List.of(), List.of("never", "seen"));
        for (List<String> context : contexts) {
            double sum = 0;
            for (String form : vocabulary) {
                sum += Math.pow(2, model.meanLog2Probability(context, List.of(form)));
            }
            assertEquals(1.0, sum, 1e-9, "context " + context);
        }
    }

    @Test
    void seenWordOrderScoresAboveShuffledAndUnknownWords() {
        double seen = model.meanLog2Probability(List.of(), List.of("the", "town", "lies", "in", "<country>", "."));
        double shuffled = model.meanLog2Probability(List.of(), List.of("in", ".", "town", "<country>", "the", "lies"));
        double unknown = model.meanLog2Probability(List.of(), List.of("zq", "xv", "qq", "vz", "kx", "jj"));
        assertTrue(seen > shuffled, seen + " vs " + shuffled);
        assertTrue(shuffled > unknown, shuffled + " vs " + unknown);
        assertEquals(0.0, model.meanLog2Probability(List.of("the"), List.of()));
    }
}
