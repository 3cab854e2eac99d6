package io.flinksip.model;

/**
 * Precomputed cos/sin of rotary position embeddings, laid out as Hugging Face's Llama does: frequencies for the first
 * half of the head dimension, repeated for the second half (the "rotate_half" convention). Kept as Java arrays so that
 * the per-call slices are created on the caller's NDManager; slicing a model-owned NDArray would attach every result
 * to the model's manager and leak.
 */
final class RotaryTable {
    private final int headDim;
    private final int maxPositions;
    private final float[] cos;
    private final float[] sin;

    RotaryTable(int headDim, int maxPositions, double theta) {
        this.headDim = headDim;
        this.maxPositions = maxPositions;
        this.cos = new float[maxPositions * headDim];
        this.sin = new float[maxPositions * headDim];
        int half = headDim / 2;
        for (int pos = 0; pos < maxPositions; pos++) {
            for (int i = 0; i < half; i++) {
                // Same float32 arithmetic order as transformers: inv_freq in float32, then pos * inv_freq.
                float invFreq = (float) (1.0 / Math.pow(theta, (2.0 * i) / headDim));
                float angle = (float) pos * invFreq;
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[pos * headDim + i] = c;
                cos[pos * headDim + i + half] = c;
                sin[pos * headDim + i] = s;
                sin[pos * headDim + i + half] = s;
            }
        }
    }

    int headDim() {
        return headDim;
    }

    /** Fills rows for the given positions (row-major [positions.length, headDim]). */
    void gather(int[] positions, float[] cosOut, float[] sinOut) {
        for (int r = 0; r < positions.length; r++) {
            int p = positions[r];
            if (p < 0 || p >= maxPositions) {
                throw new IllegalArgumentException(
                        "position " + p + " outside the model's range [0, " + maxPositions + ")");
            }
            System.arraycopy(cos, p * headDim, cosOut, r * headDim, headDim);
            System.arraycopy(sin, p * headDim, sinOut, r * headDim, headDim);
        }
    }
}
