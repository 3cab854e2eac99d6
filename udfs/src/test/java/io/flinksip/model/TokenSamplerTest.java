package io.flinksip.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenSamplerTest {
    private static final float[] LOGITS = {2.0f, 1.0f, 0.5f, 0.0f, -1.0f, 3.0f};

    private static int[] histogram(SamplingConfig cfg, int draws) {
        DeterministicRng rng = new DeterministicRng(123);
        int[] counts = new int[LOGITS.length];
        for (int i = 0; i < draws; i++) {
            counts[TokenSampler.sample(LOGITS, 0, LOGITS.length, cfg, rng)]++;
        }
        return counts;
    }

    @Test
    void ancestralSamplingFollowsTheSoftmax() {
        int draws = 200_000;
        int[] counts = histogram(SamplingConfig.ancestral(1), draws);
        double z = 0;
        for (float l : LOGITS) {
            z += Math.exp(l);
        }
        for (int i = 0; i < LOGITS.length; i++) {
            double p = Math.exp(LOGITS[i]) / z;
            double sd = Math.sqrt(p * (1 - p) / draws);
            assertEquals(p, counts[i] / (double) draws, 5 * sd, "token " + i);
            assertEquals(Math.log(p), TokenSampler.logProb(LOGITS, 0, LOGITS.length, i), 1e-6);
        }
    }

    @Test
    void topKKeepsOnlyTheKMostLikely() {
        int[] counts = histogram(new SamplingConfig(1, 1.0, 1.0, 2, true), 20_000);
        assertTrue(counts[5] > 0 && counts[0] > 0);
        assertEquals(20_000, counts[5] + counts[0]);
        int[] greedy = histogram(new SamplingConfig(1, 1.0, 1.0, 1, true), 1_000);
        assertEquals(1_000, greedy[5]);
    }

    @Test
    void topPKeepsTheSmallestNucleus() {
        // p(5) ≈ 0.61, p(0) ≈ 0.22: a 0.7 nucleus holds exactly tokens 5 and 0.
        int[] counts = histogram(new SamplingConfig(1, 1.0, 0.7, 0, true), 20_000);
        assertEquals(20_000, counts[5] + counts[0]);
        assertTrue(counts[0] > 4_000, "token 0 keeps its renormalised share");
        int[] tiny = histogram(new SamplingConfig(1, 1.0, 0.01, 0, true), 1_000);
        assertEquals(1_000, tiny[5]);
    }

    @Test
    void lowTemperatureSharpensAndZeroIsGreedy() {
        int[] cold = histogram(new SamplingConfig(1, 0.1, 1.0, 0, true), 5_000);
        assertTrue(cold[5] > 4_900);
        int[] greedy = histogram(SamplingConfig.greedy(1), 100);
        assertEquals(100, greedy[5]);
    }
}
