package io.flinksip.job.config;

/**
 * Shapes of a fresh policy, from the CPU-friendly default to a ~100 M parameter model (parameter counts below with a
 * 2,048-token vocabulary and tied embeddings; {@code run} prints the count for the actual tokenizer). Any of {@code sip.model.hidden-size}, {@code layers}, {@code heads} and
 * {@code intermediate-size} given explicitly overrides the preset's value.
 */
public enum ModelPreset {
    /** ~1.1 M parameters: the default, trains in seconds on a laptop CPU. */
    TINY(128, 352, 4, 4),
    /** ~5.6 M parameters. */
    SMALL(256, 768, 6, 4),
    /** ~28 M parameters. */
    BASE(512, 1536, 8, 8),
    /** ~94 M parameters. */
    M100(768, 2304, 12, 12);

    public final int hiddenSize;
    public final int intermediateSize;
    public final int layers;
    public final int heads;

    ModelPreset(int hiddenSize, int intermediateSize, int layers, int heads) {
        this.hiddenSize = hiddenSize;
        this.intermediateSize = intermediateSize;
        this.layers = layers;
        this.heads = heads;
    }
}
