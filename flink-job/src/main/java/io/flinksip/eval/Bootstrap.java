package io.flinksip.eval;

import io.flinksip.model.DeterministicRng;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap over prefixes: resample the per-prefix values with replacement, recompute the statistic, take
 * the 2.5th and 97.5th percentiles. Seeded, so a report is reproducible.
 */
public final class Bootstrap {
    private final int resamples;
    private final long seed;

    public Bootstrap(int resamples, long seed) {
        if (resamples < 100) {
            throw new IllegalArgumentException("use at least 100 resamples");
        }
        this.resamples = resamples;
        this.seed = seed;
    }

    /** Mean of per-prefix values. */
    public Interval mean(double[] values) {
        return statistic(values.length, idx -> {
            double sum = 0;
            for (int i : idx) {
                sum += values[i];
            }
            return sum / idx.length;
        });
    }

    /** exp(Σ nll / Σ tokens): perplexity, resampling prefixes (each contributes its NLL and its token count). */
    public Interval perplexity(double[] nll, double[] tokens) {
        return statistic(nll.length, idx -> {
            double a = 0;
            double b = 0;
            for (int i : idx) {
                a += nll[i];
                b += tokens[i];
            }
            return Math.exp(a / b);
        });
    }

    private Interval statistic(int n, ToDoubleFunction<int[]> stat) {
        if (n == 0) {
            throw new IllegalArgumentException("no values");
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double value = stat.applyAsDouble(all);
        DeterministicRng rng = new DeterministicRng(seed);
        double[] stats = new double[resamples];
        int[] idx = new int[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                idx[i] = (int) Long.remainderUnsigned(rng.nextLong(), n);
            }
            stats[r] = stat.applyAsDouble(idx);
        }
        Arrays.sort(stats);
        return new Interval(value, stats[(int) Math.floor(0.025 * (resamples - 1))],
                stats[(int) Math.ceil(0.975 * (resamples - 1))], n);
    }
}
