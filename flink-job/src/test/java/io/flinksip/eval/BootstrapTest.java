package io.flinksip.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootstrapTest {
    private final Bootstrap bootstrap = new Bootstrap(2000, 11);

    @Test
    void meanAndItsIntervalByHand() {
        double[] values = {1, 0, 1, 1, 0, 1, 1, 1, 0, 1}; // mean 0.7
        Interval i = bootstrap.mean(values);
        assertEquals(0.7, i.value(), 1e-12);
        assertEquals(10, i.n());
        assertTrue(i.low() <= 0.7 && 0.7 <= i.high());
        // Normal approximation: sd = sqrt(0.7 * 0.3 / 10) = 0.145, so the 95% interval is about ±0.28.
        assertTrue(i.low() > 0.3 && i.low() < 0.5, "low " + i.low());
        assertTrue(i.high() >= 0.9, "high " + i.high());
    }

    @Test
    void constantValuesGiveADegenerateInterval() {
        Interval i = bootstrap.mean(new double[] {0.5, 0.5, 0.5});
        assertEquals(0.5, i.value());
        assertEquals(0.5, i.low());
        assertEquals(0.5, i.high());
    }

    @Test
    void perplexityIsTheExponentOfTokenMeanNll() {
        double[] nll = {2.0, 6.0};
        double[] tokens = {1, 3};
        Interval i = bootstrap.perplexity(nll, tokens);
        assertEquals(Math.exp(8.0 / 4.0), i.value(), 1e-12);
        assertTrue(i.low() >= Math.exp(2.0) - 1e-9 && i.high() <= Math.exp(2.0) + 1e-9,
                "both prefixes have a token-mean NLL of 2: " + i);
    }

    @Test
    void reproducibleFromTheSeed() {
        double[] values = {0.1, 0.9, 0.4, 0.3, 0.8};
        assertEquals(new Bootstrap(500, 3).mean(values), new Bootstrap(500, 3).mean(values));
    }
}
