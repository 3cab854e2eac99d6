package io.flinksip.world;

import java.util.Random;

/**
 * Derives independent random streams from the world seed. Every document gets its own stream, derived from (seed,
 * split, index), so any document can be regenerated alone and adding documents never changes existing ones.
 * {@link Random} is used because its algorithm is fixed by its specification, so streams are the same on every JVM.
 */
final class Seeds {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** A generator seeded by mixing all {@code parts} (SplitMix64's finaliser applied in a chain). */
    static Random random(long... parts) {
        long h = 0x243F6A8885A308D3L;
        for (long part : parts) {
            h = finalise(h ^ finalise(part + GOLDEN_GAMMA));
        }
        return new Random(h);
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
