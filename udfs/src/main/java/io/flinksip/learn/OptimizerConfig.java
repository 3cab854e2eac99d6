package io.flinksip.learn;

/**
 * AdamW with decoupled weight decay, global-norm gradient clipping and a warmup + cosine learning-rate schedule.
 *
 * @param peakLearningRate learning rate after warmup
 * @param warmupSteps linear warmup from 0 to the peak over this many steps
 * @param totalSteps steps of the cosine decay (after them the rate stays at the minimum)
 * @param minLearningRateRatio final rate as a fraction of the peak (the paper uses 0.1)
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param epsilon denominator guard
 * @param weightDecay decoupled decay, not applied to norm gains
 * @param maxGradNorm clip the global L2 norm of all gradients to this; 0 disables clipping
 */
public record OptimizerConfig(
        double peakLearningRate,
        long warmupSteps,
        long totalSteps,
        double minLearningRateRatio,
        double beta1,
        double beta2,
        double epsilon,
        double weightDecay,
        double maxGradNorm) implements java.io.Serializable {

    public OptimizerConfig {
        if (!(peakLearningRate > 0)) {
            throw new IllegalArgumentException("peakLearningRate must be positive");
        }
        if (warmupSteps < 0 || totalSteps <= 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0 and totalSteps > 0");
        }
        if (minLearningRateRatio < 0 || minLearningRateRatio > 1) {
            throw new IllegalArgumentException("minLearningRateRatio must be in [0, 1]");
        }
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
            throw new IllegalArgumentException("betas must be in [0, 1)");
        }
        if (!(epsilon > 0) || weightDecay < 0 || maxGradNorm < 0) {
            throw new IllegalArgumentException("epsilon must be > 0, weightDecay and maxGradNorm >= 0");
        }
    }

    /** Defaults for the tiny embedded model. */
    public static OptimizerConfig defaults(double peak, long warmup, long total) {
        return new OptimizerConfig(peak, warmup, total, 0.1, 0.9, 0.95, 1e-8, 0.1, 1.0);
    }

    /** The rate at a 0-based step: linear warmup, then cosine decay to {@code peak × minRatio}. */
    public double learningRate(long step) {
        if (step < warmupSteps) {
            return peakLearningRate * (step + 1) / (double) warmupSteps;
        }
        long decaySteps = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (step - warmupSteps) / (double) decaySteps);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return peakLearningRate * (minLearningRateRatio + (1 - minLearningRateRatio) * cosine);
    }
}
