package io.flinksip.model;

/**
 * SplitMix64: a tiny, fast generator whose whole state is one {@code long}. We own it (instead of
 * {@link java.util.Random}) so that its state can be checkpointed and restored bit-exactly, and so that a rollout is a
 * pure function of its seed.
 */
public final class DeterministicRng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public DeterministicRng(long seed) {
        this.state = seed;
    }

    /** Mixes several values into one seed; used to derive per-rollout seeds from (seed, docId, sampleIndex, ...). */
    public static long mix(long... parts) {
        long h = 0x243F6A8885A308D3L;
        for (long p : parts) {
            h = finalizeMix(h ^ finalizeMix(p + GOLDEN_GAMMA));
        }
        return h;
    }

    public long state() {
        return state;
    }

    public void setState(long newState) {
        this.state = newState;
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return finalizeMix(state);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal by Box-Muller (both outputs computed, one used, to keep the state a single long). */
    public double nextGaussian() {
        double u1 = nextDouble();
        double u2 = nextDouble();
        if (u1 < 1e-300) {
            u1 = 1e-300;
        }
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    private static long finalizeMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
