package io.flinksip.eval;

import java.io.PrintStream;

/**
 * Progress of a long loop as lines a user can watch: "what  done/total  rate/s  eta", at most one every few seconds
 * and one at the end. Thread-safe: judge calls complete on client threads.
 */
final class Progress {
    private static final long EVERY_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final String what;
    private final int total;
    private final long started;
    private long lastPrinted;
    private int done;

    /** @param startedNanos when the work began ({@link System#nanoTime()}), for the rate */
    Progress(PrintStream out, String what, int total, long startedNanos) {
        this.out = out;
        this.what = what;
        this.total = total;
        this.started = startedNanos;
        this.lastPrinted = startedNanos;
    }

    synchronized void advance(int n) {
        done += n;
        long now = System.nanoTime();
        if (out != null && done < total && now - lastPrinted >= EVERY_NANOS) {
            lastPrinted = now;
            print(now);
        }
    }

    synchronized void finish() {
        if (out != null) {
            print(System.nanoTime());
        }
    }

    private void print(long now) {
        double seconds = (now - started) / 1e9;
        double rate = done / Math.max(seconds, 1e-9);
        String eta = done < total && rate > 0 ? String.format("  eta %.0f s", (total - done) / rate) : "";
        out.printf("%-28s %d/%d  %.1f/s%s%n", what, done, total, rate, eta);
    }
}
