package io.flinksip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * Ragged (context, target) pairs packed for teacher forcing: row i is {@code context ++ target}, right-padded; the loss
 * mask covers exactly the target tokens. Whole-sequence next-token training is the case of a one-token context.
 */
public final class TokenBatch {
    final int[][] inputs;
    final int[][] targets;
    final float[][] mask;
    final int[] targetCounts;
    final int totalTargets;

    private TokenBatch(int[][] inputs, int[][] targets, float[][] mask, int[] targetCounts) {
        this.inputs = inputs;
        this.targets = targets;
        this.mask = mask;
        this.targetCounts = targetCounts;
        int total = 0;
        for (int n : targetCounts) {
            total += n;
        }
        this.totalTargets = total;
    }

    public static TokenBatch of(List<int[]> contexts, List<int[]> continuations, int padId) {
        if (contexts.size() != continuations.size() || contexts.isEmpty()) {
            throw new IllegalArgumentException("need as many contexts as continuations, at least one");
        }
        int b = contexts.size();
        int maxLen = 0;
        for (int i = 0; i < b; i++) {
            if (contexts.get(i).length == 0) {
                throw new IllegalArgumentException("context " + i + " is empty: nothing to predict the first token from");
            }
            maxLen = Math.max(maxLen, contexts.get(i).length + continuations.get(i).length);
        }
        int t = maxLen - 1;
        int[][] inputs = new int[b][t];
        int[][] targets = new int[b][t];
        float[][] mask = new float[b][t];
        int[] counts = new int[b];
        for (int i = 0; i < b; i++) {
            int[] ctx = contexts.get(i);
            int[] cont = continuations.get(i);
            int len = ctx.length + cont.length;
            for (int j = 0; j < t; j++) {
                inputs[i][j] = j < len ? at(ctx, cont, j) : padId;
                targets[i][j] = j + 1 < len ? at(ctx, cont, j + 1) : padId;
                if (j + 1 >= ctx.length && j + 1 < len) {
                    mask[i][j] = 1f;
                }
            }
            counts[i] = cont.length;
        }
        return new TokenBatch(inputs, targets, mask, counts);
    }

    /** Sequences trained on every token after the first. */
    public static TokenBatch wholeSequences(List<int[]> sequences, int padId) {
        List<int[]> ctx = sequences.stream().map(s -> new int[] {s[0]}).toList();
        List<int[]> rest = sequences.stream().map(s -> java.util.Arrays.copyOfRange(s, 1, s.length)).toList();
        return of(ctx, rest, padId);
    }

    private static int at(int[] ctx, int[] cont, int j) {
        return j < ctx.length ? ctx[j] : cont[j - ctx.length];
    }

    public int rows() {
        return inputs.length;
    }

    public int totalTargets() {
        return totalTargets;
    }

    public int[] targetCounts() {
        return targetCounts.clone();
    }

    /**
     * Per-row sum of log-probabilities of the target tokens, {@code [B]}, recorded in the graph when grad mode is on.
     */
    public NDArray targetLogProbs(NDManager step, LlamaModel model) {
        int b = inputs.length;
        int t = inputs[0].length;
        DecoderInput in = DecoderInput.causal(step, model.config(), inputs);
        NDArray logits = model.forward(step, in, null);
        int[] flatTargets = new int[b * t];
        float[] flatMask = new float[b * t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(targets[i], 0, flatTargets, i * t, t);
            System.arraycopy(mask[i], 0, flatMask, i * t, t);
        }
        NDArray targetIds = step.create(flatTargets, new Shape(b, t, 1)).toType(DataType.INT64, false);
        NDArray maskArr = step.create(flatMask, new Shape(b, t));
        NDArray tokenLogProbs = logits.logSoftmax(-1).gather(targetIds, 2).reshape(b, t);
        return tokenLogProbs.mul(maskArr).sum(new int[] {1});
    }
}
