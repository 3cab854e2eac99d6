package io.flinksip.model;

/**
 * How continuations are drawn. The paper's rollouts use temperature 1.0 and top-p 1.0 (plain ancestral sampling).
 *
 * @param maxNewTokens at most this many tokens per continuation (N, the suffix length)
 * @param temperature softmax temperature; 0 means greedy
 * @param topP nucleus mass in (0, 1]; 1 disables it
 * @param topK keep only the k most likely tokens; 0 disables it
 * @param useKvCache reuse keys/values across steps (always on in production; off only to measure its benefit)
 */
public record SamplingConfig(int maxNewTokens, double temperature, double topP, int topK, boolean useKvCache)
        implements java.io.Serializable {
    public SamplingConfig {
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("maxNewTokens must be positive");
        }
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1]");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0");
        }
    }

    /** The paper's rollout setting: T = 1, top-p = 1, no top-k. */
    public static SamplingConfig ancestral(int maxNewTokens) {
        return new SamplingConfig(maxNewTokens, 1.0, 1.0, 0, true);
    }

    public static SamplingConfig greedy(int maxNewTokens) {
        return new SamplingConfig(maxNewTokens, 0.0, 1.0, 0, true);
    }

    public SamplingConfig withKvCache(boolean enabled) {
        return new SamplingConfig(maxNewTokens, temperature, topP, topK, enabled);
    }
}
