package io.flinksip.sync;

import io.flinksip.schema.DeadLetter;

/**
 * What the learner hears besides training examples, on its second input: a sequenced sample that will not be trained
 * (its dead letter), or the end of a shard (a bounded input read to its end), after which that shard adds no more
 * samples to any step window. A Flink POJO: exactly one of the two is set.
 */
public class Accounting {
    /** A sample dead-lettered after it was sequenced; it counts for its step window. */
    public DeadLetter deadLetter;
    /** The shard that ended, or -1. */
    public int endedShard = -1;
    /** How many samples the ended shard numbered in all. */
    public long shardSamples = -1;

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

    public boolean isShardEnd() {
        return endedShard >= 0;
    }

    @Override
    public String toString() {
        return isShardEnd() ? "shard " + endedShard + " ended after " + shardSamples + " samples"
                : "dead letter " + deadLetter;
    }
}
