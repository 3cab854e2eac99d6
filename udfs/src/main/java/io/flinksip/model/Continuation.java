package io.flinksip.model;

/**
 * One sampled continuation.
 *
 * @param tokens generated ids (the EOS token included when generation stopped there)
 * @param logProbs per-token log-probabilities under the policy's plain softmax (temperature 1, no truncation),
 *     the quantity DPO and importance corrections need, whatever sampling settings drew the token
 * @param seed the seed that regenerates exactly this continuation from the same prefix and weights
 * @param endedWithEos whether generation stopped at EOS rather than at the length limit
 */
public record Continuation(int[] tokens, float[] logProbs, long seed, boolean endedWithEos) {
    public double totalLogProb() {
        double sum = 0;
        for (float lp : logProbs) {
            sum += lp;
        }
        return sum;
    }
}
