package io.flinksip.backend.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which fault each request gets: first any scripted faults, in order, then faults drawn at the configured rates from a
 * seeded generator (so a run is repeatable), plus a fixed latency added to every reply.
 */
public final class FaultPlan {
    private final Deque<Fault> script = new ArrayDeque<>();
    private final Map<Fault, Double> rates = new EnumMap<>(Fault.class);
    private final SplittableRandom random;
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration hang = Duration.ofSeconds(30);
    private volatile int retryAfterSeconds = 1;
    private volatile boolean down;

    public FaultPlan(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public static FaultPlan none() {
        return new FaultPlan(0);
    }

    /** The next requests get these faults, in order. */
    public synchronized FaultPlan script(List<Fault> faults) {
        script.addAll(faults);
        return this;
    }

    /** After the script, each request gets {@code fault} with this probability. */
    public synchronized FaultPlan rate(Fault fault, double probability) {
        rates.put(fault, probability);
        return this;
    }

    public FaultPlan latency(Duration perReply) {
        this.latency = perReply;
        return this;
    }

    public FaultPlan hangFor(Duration duration) {
        this.hang = duration;
        return this;
    }

    public FaultPlan retryAfterSeconds(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** While down, every request gets {@link Fault#SERVER_ERROR}: an endpoint outage, switched on and off by a test. */
    public FaultPlan down(boolean isDown) {
        this.down = isDown;
        return this;
    }

    synchronized Fault next() {
        if (down) {
            return Fault.SERVER_ERROR;
        }
        Fault scripted = script.poll();
        if (scripted != null) {
            return scripted;
        }
        double u = random.nextDouble();
        double cumulative = 0;
        for (Map.Entry<Fault, Double> e : rates.entrySet()) {
            cumulative += e.getValue();
            if (u < cumulative) {
                return e.getKey();
            }
        }
        return Fault.NONE;
    }

    Duration latency() {
        return latency;
    }

    Duration hang() {
        return hang;
    }

    int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
