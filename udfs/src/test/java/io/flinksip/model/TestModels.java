package io.flinksip.model;

/** Small model shapes for tests: fast on two cores, yet with every feature (GQA, untied head) switched on. */
public final class TestModels {
    private TestModels() {
    }

    /** vocab 64, d 32, 2 layers, 4 query heads sharing 2 kv heads, untied output head. */
    public static LlamaConfig small() {
        return new LlamaConfig(64, 32, 48, 2, 4, 2, 128, 10_000.0, 1e-5, false, -1, 0, 0.02);
    }

    /** Same shape with larger initial weights, so next-token distributions are far from uniform. */
    public static LlamaConfig sharp() {
        return new LlamaConfig(64, 32, 48, 2, 4, 2, 128, 10_000.0, 1e-5, false, -1, 0, 0.3);
    }

    public static int[] randomTokens(DeterministicRng rng, int length, int vocab) {
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            out[i] = 1 + (int) Long.remainderUnsigned(rng.nextLong(), vocab - 1); // avoid 0, the EOS id
        }
        return out;
    }
}
