package io.flinksip.learn;

import java.util.List;

/**
 * AdamW over Java float arrays. We keep the master weights and both moments on the JVM rather than in DJL: the
 * update is then fully ours to snapshot bit-exactly, DJL's Adam state (reachable only by reflection) is avoided, and
 * clipping is by the global norm, which DJL's element-wise clipping is not. One pass per parameter, in a fixed order,
 * so the result is deterministic.
 */
public final class AdamW {
    private final OptimizerConfig config;
    private final float[][] firstMoments;
    private final float[][] secondMoments;
    private final boolean[] decayed;
    /** The arrays are shared with a snapshot being written: the next update writes into fresh ones. */
    private boolean shared;

    public AdamW(OptimizerConfig config, List<float[]> parameters, boolean[] decayed) {
        this(config, zerosLike(parameters), zerosLike(parameters), decayed);
    }

    /** Restores an optimizer from saved moments (taken over, not copied). */
    public AdamW(OptimizerConfig config, float[][] firstMoments, float[][] secondMoments, boolean[] decayed) {
        if (firstMoments.length != secondMoments.length || firstMoments.length != decayed.length) {
            throw new IllegalArgumentException("moment and decay lists must have one entry per parameter");
        }
        this.config = config;
        this.firstMoments = firstMoments;
        this.secondMoments = secondMoments;
        this.decayed = decayed.clone();
    }

    private static float[][] zerosLike(List<float[]> parameters) {
        float[][] out = new float[parameters.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new float[parameters.get(i).length];
        }
        return out;
    }

    public OptimizerConfig config() {
        return config;
    }

    public float[][] firstMoments() {
        return firstMoments;
    }

    public float[][] secondMoments() {
        return secondMoments;
    }

    /**
     * Hands the current parameters and moments over to a reader (a snapshot written while training goes on): the next
     * {@link #update} leaves those arrays as they are and puts its results into new ones, replacing the entries of
     * the parameter and moment lists. The same arithmetic either way, so the result is bit-identical; what it saves is
     * a copy of the whole state on the trainer's thread.
     */
    public void share() {
        shared = true;
    }

    /**
     * Clips gradients to the configured global norm (in place) and applies one update for 0-based {@code step}.
     *
     * @return the global gradient norm before clipping
     */
    public double update(float[][] parameters, float[][] gradients, long step) {
        double norm = globalNorm(gradients);
        if (!Double.isFinite(norm)) {
            throw new NonFiniteGradientException(norm);
        }
        float clipScale = 1f;
        if (config.maxGradNorm() > 0 && norm > config.maxGradNorm()) {
            clipScale = (float) (config.maxGradNorm() / (norm + 1e-6));
        }
        double lr = config.learningRate(step);
        long t = step + 1;
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        float bias1 = (float) (1 - Math.pow(config.beta1(), t));
        float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(config.beta2(), t));
        float stepSize = (float) (lr / bias1);
        float eps = (float) config.epsilon();
        for (int p = 0; p < parameters.length; p++) {
            float[] w = parameters[p];
            float[] g = gradients[p];
            float[] m = firstMoments[p];
            float[] v = secondMoments[p];
            float[] wOut = shared ? new float[w.length] : w;
            float[] mOut = shared ? new float[m.length] : m;
            float[] vOut = shared ? new float[v.length] : v;
            float decay = decayed[p] ? (float) (1 - lr * config.weightDecay()) : 1f;
            for (int i = 0; i < w.length; i++) {
                float gi = g[i] * clipScale;
                float mi = b1 * m[i] + (1 - b1) * gi;
                float vi = b2 * v[i] + (1 - b2) * gi * gi;
                mOut[i] = mi;
                vOut[i] = vi;
                float denom = (float) Math.sqrt(vi) / bias2Sqrt + eps;
                wOut[i] = w[i] * decay - stepSize * mi / denom;
            }
            parameters[p] = wOut;
            firstMoments[p] = mOut;
            secondMoments[p] = vOut;
        }
        shared = false;
        return norm;
    }

    static double globalNorm(float[][] gradients) {
        double sum = 0;
        for (float[] g : gradients) {
            for (float x : g) {
                sum += (double) x * x;
            }
        }
        return Math.sqrt(sum);
    }

    /** Thrown instead of applying an update that would poison the weights with NaN or infinity. */
    public static final class NonFiniteGradientException extends ArithmeticException {
        private static final long serialVersionUID = 1L;

        NonFiniteGradientException(double norm) {
            super("gradient norm is " + norm + "; update skipped");
        }
    }
}
