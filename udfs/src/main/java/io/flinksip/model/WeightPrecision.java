package io.flinksip.model;

import ai.djl.ndarray.types.DataType;

/**
 * What an inference replica holds its weight matrices in. The learner always trains in float32 and publishes float32;
 * a replica may convert on load.
 *
 * <p>Half precision is IEEE float16, not bfloat16: DJL 0.36's PyTorch bindings map no data type past bool to PyTorch,
 * and asking them for a bfloat16 tensor aborts the whole process (checked on this stack), so bfloat16 waits for a DJL
 * that supports it.
 */
public enum WeightPrecision {
    /** Exactly the learner's numbers. */
    FLOAT32(DataType.FLOAT32),
    /**
     * The weight matrices (embeddings, projections, head) in float16: half the replica's weight memory. Everything
     * else (the residual stream, norms, attention and its softmax, the KV cache, logits) stays float32; only each
     * projection's input is rounded to float16 for the multiply. Samples differ from FLOAT32's by that rounding.
     */
    FLOAT16(DataType.FLOAT16);

    private final DataType dataType;

    WeightPrecision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }
}
