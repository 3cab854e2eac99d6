package io.flinksip.eval;

/**
 * An estimate with a bootstrap confidence interval.
 *
 * @param value the estimate on the full sample
 * @param low lower bound of the interval
 * @param high upper bound of the interval
 * @param n sample size (prefixes)
 */
public record Interval(double value, double low, double high, int n) {
    @Override
    public String toString() {
        return String.format("%.3f [%.3f, %.3f]", value, low, high);
    }
}
