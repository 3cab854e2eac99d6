package io.flinksip.sync;

import io.flinksip.schema.DeadLetter;

/**
 * What the learner hears besides training examples, on its second input: a sequenced sample that will not be trained
 * (its dead letter); the end of a shard (a bounded input read to its end), after which that shard adds no more samples
 * to any step window; or, in latest mode, positions of a shard's window left unfilled because the shard went idle
 * (the window closes with the samples it has). A Flink POJO: exactly one of the three is set.
 */
public class Accounting {
    /** A sample dead-lettered after it was sequenced; it counts for its step window. */
    public DeadLetter deadLetter;
    /** The shard that ended, or -1. */
    public int endedShard = -1;
    /** How many samples the ended shard numbered in all. */
    public long shardSamples = -1;
    /** The shard whose window was closed early, or -1. */
    public int skippedShard = -1;
    /** The window closed early. */
    public long skippedWindow = -1;
    /** The positions [skippedFrom, skippedTo) of that shard that no sample will take. */
    public long skippedFrom = -1;
    public long skippedTo = -1;

    public Accounting() {
    }

    public static Accounting deadLetter(DeadLetter letter) {
        Accounting a = new Accounting();
        a.deadLetter = letter;
        return a;
    }

    public static Accounting shardEnd(int shard, long samples) {
        Accounting a = new Accounting();
        a.endedShard = shard;
        a.shardSamples = samples;
        return a;
    }

    public static Accounting skipped(int shard, long window, long from, long to) {
        Accounting a = new Accounting();
        a.skippedShard = shard;
        a.skippedWindow = window;
        a.skippedFrom = from;
        a.skippedTo = to;
        return a;
    }

    public boolean isShardEnd() {
        return endedShard >= 0;
    }

    public boolean isSkip() {
        return skippedShard >= 0;
    }

    @Override
    public String toString() {
        return isShardEnd() ? "shard " + endedShard + " ended after " + shardSamples + " samples"
                : isSkip() ? "shard " + skippedShard + " left positions " + skippedFrom + ".." + (skippedTo - 1)
                + " of window " + skippedWindow + " unfilled" : "dead letter " + deadLetter;
    }
}
