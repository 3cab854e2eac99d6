package io.flinksip.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvCacheEquivalenceTest {
    private static final LlamaConfig CONFIG = TestModels.sharp();

    @Test
    void cachedLogitsEqualFullRecompute() {
        DeterministicRng rng = new DeterministicRng(11);
        List<int[]> prefixes = List.of(TestModels.randomTokens(rng, 9, 64), TestModels.randomTokens(rng, 3, 64),
                TestModels.randomTokens(rng, 14, 64));
        long[][] seeds = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
        SamplingConfig cached = new SamplingConfig(12, 1.0, 1.0, 0, true);
        try (LlamaModel model = LlamaModel.create(CONFIG, LlamaModel.initialWeights(CONFIG, 5), false)) {
            ContinuationSampler sampler = new ContinuationSampler(model);
            List<float[]> withCache = new ArrayList<>();
            List<float[]> recompute = new ArrayList<>();
            var a = sampler.sample(prefixes, seeds, cached, (s, logits, rows) -> withCache.add(logits.clone()));
            var b = sampler.sample(prefixes, seeds, cached.withKvCache(false),
                    (s, logits, rows) -> recompute.add(logits.clone()));
            assertEquals(withCache.size(), recompute.size());
            double maxDiff = 0;
            for (int s = 0; s < withCache.size(); s++) {
                for (int i = 0; i < withCache.get(s).length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(withCache.get(s)[i] - recompute.get(s)[i]));
                }
            }
            assertTrue(maxDiff <= 1e-4, "max |Δ logits| = " + maxDiff);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertArrayEquals(a.get(i).get(j).tokens(), b.get(i).get(j).tokens());
                }
            }
        }
    }

    @Test
    void aSeedRegeneratesItsContinuationAloneOrInABatch() {
        DeterministicRng rng = new DeterministicRng(12);
        int[] p1 = TestModels.randomTokens(rng, 6, 64);
        int[] p2 = TestModels.randomTokens(rng, 17, 64);
        SamplingConfig cfg = SamplingConfig.ancestral(16);
        try (LlamaModel model = LlamaModel.create(CONFIG, LlamaModel.initialWeights(CONFIG, 6), false)) {
            ContinuationSampler sampler = new ContinuationSampler(model);
            var batch = sampler.sample(List.of(p1, p2), new long[][] {{41, 42}, {43, 44}}, cfg);
            var alone = sampler.sample(List.of(p1), new long[][] {{42}}, cfg);
            Continuation fromBatch = batch.get(0).get(1);
            Continuation single = alone.get(0).get(0);
            assertArrayEquals(fromBatch.tokens(), single.tokens());
            assertEquals(42, single.seed());
            for (int t = 0; t < single.logProbs().length; t++) {
                assertEquals(single.logProbs()[t], fromBatch.logProbs()[t], 1e-4);
            }
            // Different seeds give different rollouts (16 tokens from a 64-way distribution).
            assertTrue(!java.util.Arrays.equals(batch.get(0).get(0).tokens(), fromBatch.tokens()));
        }
    }

    @Test
    void logProbsMatchTheScorerAndGenerationStopsAtEos() {
        DeterministicRng rng = new DeterministicRng(13);
        int[] prefix = TestModels.randomTokens(rng, 8, 64);
        try (LlamaModel model = LlamaModel.create(CONFIG, LlamaModel.initialWeights(CONFIG, 8), false)) {
            var conts = new ContinuationSampler(model).sample(List.of(prefix),
                    new long[][] {{1, 2, 3, 4, 5, 6, 7, 8}}, SamplingConfig.ancestral(40)).get(0);
            SequenceScorer scorer = new SequenceScorer(model);
            boolean sawEos = false;
            for (Continuation c : conts) {
                double scored = scorer.score(List.of(prefix), List.of(c.tokens()))[0];
                assertEquals(scored, c.totalLogProb(), 1e-3);
                if (c.endedWithEos()) {
                    sawEos = true;
                    assertEquals(CONFIG.eosTokenId(), c.tokens()[c.tokens().length - 1]);
                } else {
                    assertEquals(40, c.tokens().length);
                }
                for (int t = 0; t < c.tokens().length - 1; t++) {
                    assertTrue(c.tokens()[t] != CONFIG.eosTokenId());
                }
            }
            assertTrue(sawEos || conts.stream().allMatch(c -> c.tokens().length == 40));
        }
    }

    @Test
    void greedyIsArgmaxAndRejectsOverlongPrompts() {
        DeterministicRng rng = new DeterministicRng(14);
        int[] prefix = TestModels.randomTokens(rng, 10, 64);
        try (LlamaModel model = LlamaModel.create(CONFIG, LlamaModel.initialWeights(CONFIG, 9), false)) {
            ContinuationSampler sampler = new ContinuationSampler(model);
            var a = sampler.sample(List.of(prefix), new long[][] {{1, 99}}, SamplingConfig.greedy(8)).get(0);
            assertArrayEquals(a.get(0).tokens(), a.get(1).tokens(), "greedy ignores the seed");
            int[] tooLong = TestModels.randomTokens(rng, 125, 64);
            assertThrows(IllegalArgumentException.class,
                    () -> sampler.sample(List.of(tooLong), new long[][] {{1}}, SamplingConfig.greedy(8)));
            assertThrows(IllegalArgumentException.class,
                    () -> sampler.sample(List.of(new int[0]), new long[][] {{1}}, SamplingConfig.greedy(8)));
        }
    }
}
