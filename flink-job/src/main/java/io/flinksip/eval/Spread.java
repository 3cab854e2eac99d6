package io.flinksip.eval;

import java.util.Arrays;

/** A figure over repeated seeds: mean, sample standard deviation, smallest and largest. */
record Spread(double mean, double std, double min, double max, int n) {
    static Spread of(double[] values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).toArray();
        if (v.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double mean = Arrays.stream(v).average().orElseThrow();
        double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        double std = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
        return new Spread(mean, std, Arrays.stream(v).min().orElseThrow(), Arrays.stream(v).max().orElseThrow(),
                v.length);
    }

    /** "0.578 ± 0.012" (or the bare value for one seed); {@code percent} renders relative gains as percentages. */
    String format(boolean percent) {
        if (n == 0) {
            return "n/a";
        }
        String m = percent ? String.format("%+.1f%%", 100 * mean) : String.format("%.3f", mean);
        if (n == 1) {
            return m;
        }
        return m + (percent ? String.format(" ± %.1f", 100 * std) : String.format(" ± %.3f", std));
    }
}
