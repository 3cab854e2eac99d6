package io.flinksip.model;

import ai.djl.ndarray.NDManager;

import java.util.List;

/** Sum of log-probabilities of given continuations given their prefixes, batched, without gradients. */
public final class SequenceScorer {
    private final LlamaModel model;

    public SequenceScorer(LlamaModel model) {
        this.model = model;
    }

    /** {@code result[i] = Σ_t log π(continuation_i[t] | prefix_i, continuation_i[<t])}; 0 for an empty continuation. */
    public double[] score(List<int[]> prefixes, List<int[]> continuations) {
        TokenBatch batch = TokenBatch.of(prefixes, continuations, model.config().eosTokenId());
        return Autograd.withGradMode(false, () -> {
            try (NDManager step = model.manager().newSubManager()) {
                float[] sums = batch.targetLogProbs(step, model).toFloatArray();
                double[] out = new double[sums.length];
                for (int i = 0; i < sums.length; i++) {
                    out[i] = sums[i];
                }
                return out;
            }
        });
    }
}
