package io.flinksip.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchedScoringTest {
    @Test
    void batchedScoresEqualRowByRowScores() {
        LlamaConfig config = TestModels.sharp();
        DeterministicRng rng = new DeterministicRng(21);
        List<int[]> prefixes = new ArrayList<>();
        List<int[]> conts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            prefixes.add(TestModels.randomTokens(rng, 1 + (int) (rng.nextDouble() * 20), 64));
            conts.add(TestModels.randomTokens(rng, (int) (rng.nextDouble() * 15), 64));
        }
        try (LlamaModel model = LlamaModel.create(config, LlamaModel.initialWeights(config, 3), false)) {
            SequenceScorer scorer = new SequenceScorer(model);
            double[] batched = scorer.score(prefixes, conts);
            for (int i = 0; i < prefixes.size(); i++) {
                double single = scorer.score(List.of(prefixes.get(i)), List.of(conts.get(i)))[0];
                assertEquals(single, batched[i], 1e-4, "row " + i);
                if (conts.get(i).length == 0) {
                    assertEquals(0.0, batched[i]);
                }
            }
        }
    }
}
