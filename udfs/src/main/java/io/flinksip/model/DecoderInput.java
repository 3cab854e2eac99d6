package io.flinksip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * One forward call's inputs, all created on the caller's (per-step) manager: token ids {@code [B, T]}, rotary cos/sin
 * {@code [B, 1, T, headDim]}, and an additive attention mask broadcastable to {@code [B, 1, T, S]} where
 * {@code S = past + T} (0 where a query may attend, a large negative number where it may not).
 */
public final class DecoderInput implements AutoCloseable {
    /** Finite rather than -inf so that a query row with no visible key (a padding row) stays NaN-free. */
    static final float MASKED = -1e9f;

    final NDArray ids;
    final NDArray cos;
    final NDArray sin;
    final NDArray mask;
    final int batch;
    final int length;

    private DecoderInput(NDArray ids, NDArray cos, NDArray sin, NDArray mask, int batch, int length) {
        this.ids = ids;
        this.cos = cos;
        this.sin = sin;
        this.mask = mask;
        this.batch = batch;
        this.length = length;
    }

    public int batch() {
        return batch;
    }

    public int length() {
        return length;
    }

    /**
     * Right-padded (or unpadded) sequences starting at position 0 with no cache: a plain causal mask shared by all rows.
     * Padding at the end of a row cannot influence earlier positions, so callers just ignore those outputs.
     */
    public static DecoderInput causal(NDManager manager, LlamaConfig config, int[][] tokens) {
        int b = tokens.length;
        int t = tokens[0].length;
        int[] flat = new int[b * t];
        for (int i = 0; i < b; i++) {
            if (tokens[i].length != t) {
                throw new IllegalArgumentException("rows must have equal length (pad them)");
            }
            System.arraycopy(tokens[i], 0, flat, i * t, t);
        }
        int[] positions = new int[t];
        for (int j = 0; j < t; j++) {
            positions[j] = j;
        }
        float[] mask = new float[t * t];
        for (int q = 0; q < t; q++) {
            for (int k = q + 1; k < t; k++) {
                mask[q * t + k] = MASKED;
            }
        }
        RotaryTable rope = LlamaModel.rotary(config);
        int hd = config.headDim();
        float[] cos = new float[t * hd];
        float[] sin = new float[t * hd];
        rope.gather(positions, cos, sin);
        return new DecoderInput(
                manager.create(flat, new Shape(b, t)).toType(DataType.INT64, false),
                manager.create(cos, new Shape(1, 1, t, hd)),
                manager.create(sin, new Shape(1, 1, t, hd)),
                manager.create(mask, new Shape(1, 1, t, t)),
                b, t);
    }

    /**
     * General form for batched generation: each row has its own positions and its own set of visible keys.
     *
     * @param tokens {@code [B][T]} new token ids
     * @param positions {@code [B][T]} rotary positions of the new tokens
     * @param keyVisible {@code [B][S]} whether each key slot (past cache + new tokens) holds a real token
     * @param pastLength number of cached key slots before the new tokens
     */
    public static DecoderInput general(NDManager manager, LlamaConfig config, int[][] tokens, int[][] positions,
                                       boolean[][] keyVisible, int pastLength) {
        int b = tokens.length;
        int t = tokens[0].length;
        int s = pastLength + t;
        int hd = config.headDim();
        RotaryTable rope = LlamaModel.rotary(config);
        int[] flat = new int[b * t];
        int[] flatPos = new int[b * t];
        float[] mask = new float[b * t * s];
        for (int i = 0; i < b; i++) {
            if (keyVisible[i].length != s) {
                throw new IllegalArgumentException("keyVisible rows must have length past + T = " + s);
            }
            System.arraycopy(tokens[i], 0, flat, i * t, t);
            System.arraycopy(positions[i], 0, flatPos, i * t, t);
            for (int q = 0; q < t; q++) {
                int base = (i * t + q) * s;
                int lastVisible = pastLength + q;
                for (int k = 0; k < s; k++) {
                    if (k > lastVisible || !keyVisible[i][k]) {
                        mask[base + k] = MASKED;
                    }
                }
            }
        }
        float[] cos = new float[b * t * hd];
        float[] sin = new float[b * t * hd];
        rope.gather(flatPos, cos, sin);
        return new DecoderInput(
                manager.create(flat, new Shape(b, t)).toType(DataType.INT64, false),
                manager.create(cos, new Shape(b, 1, t, hd)),
                manager.create(sin, new Shape(b, 1, t, hd)),
                manager.create(mask, new Shape(b, 1, t, s)),
                b, t);
    }

    @Override
    public void close() {
        ids.close();
        cos.close();
        sin.close();
        mask.close();
    }
}
