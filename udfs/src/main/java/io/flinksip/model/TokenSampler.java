package io.flinksip.model;

import java.util.Arrays;

/**
 * Draws one token from a row of logits in Java, in double precision. Sampling on the JVM (rather than on the engine)
 * gives every continuation its own {@link DeterministicRng}, so a rollout depends only on its seed and its logits, not
 * on which other rows share the batch. DJL also lacks a multinomial op.
 */
final class TokenSampler {
    private TokenSampler() {
    }

    static int sample(float[] logits, int offset, int vocab, SamplingConfig cfg, DeterministicRng rng) {
        if (cfg.temperature() == 0.0) {
            return argmax(logits, offset, vocab);
        }
        double invT = 1.0 / cfg.temperature();
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double[] weights = new double[vocab];
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            double w = Math.exp((logits[offset + i] - max) * invT);
            weights[i] = w;
            total += w;
        }
        if (cfg.topK() > 0 && cfg.topK() < vocab) {
            total = keepTopK(weights, cfg.topK());
        }
        if (cfg.topP() < 1.0) {
            total = keepNucleus(weights, total, cfg.topP());
        }
        double u = rng.nextDouble() * total;
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < vocab; i++) {
            if (weights[i] > 0) {
                cumulative += weights[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last; // rounding left u just above the running sum
    }

    /** log softmax(logits)[token] at temperature 1, in double. */
    static float logProb(float[] logits, int offset, int vocab, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        return (float) (logits[offset + token] - max - Math.log(sum));
    }

    static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    private static double keepTopK(double[] weights, int k) {
        double[] sorted = weights.clone();
        Arrays.sort(sorted);
        double threshold = sorted[sorted.length - k];
        double total = 0;
        int kept = 0;
        // Ties at the threshold are kept in index order until k tokens are in, so the result is deterministic.
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > threshold) {
                kept++;
            }
        }
        int tiesAllowed = k - kept;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > threshold) {
                total += weights[i];
            } else if (weights[i] == threshold && tiesAllowed > 0) {
                tiesAllowed--;
                total += weights[i];
            } else {
                weights[i] = 0;
            }
        }
        return total;
    }

    private static double keepNucleus(double[] weights, double total, double topP) {
        Integer[] order = new Integer[weights.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(weights[b], weights[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        double target = topP * total;
        double cumulative = 0;
        int keep = 0;
        while (keep < order.length && weights[order[keep]] > 0) {
            cumulative += weights[order[keep]];
            keep++;
            if (cumulative >= target) {
                break;
            }
        }
        double kept = 0;
        for (int r = 0; r < order.length; r++) {
            if (r < keep) {
                kept += weights[order[r]];
            } else {
                weights[order[r]] = 0;
            }
        }
        return kept;
    }
}
