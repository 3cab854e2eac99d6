package io.flinksip.sync;

import java.io.Serializable;

/**
 * Which samples form a step: step window w holds, for every shard, the samples numbered
 * [w · perShard, (w + 1) · perShard) within that shard. The learner trains window w in the step that produces policy
 * version w + 1, once every sample of the window is accounted for (an example or a dead letter).
 *
 * @param shards ordered input shards (1 for files; the Kafka partitions in strict mode with Kafka input)
 * @param perShard samples each shard contributes to a window
 */
public record StepWindows(int shards, int perShard) implements Serializable {
    public StepWindows {
        if (shards < 1 || perShard < 1) {
            throw new IllegalArgumentException("need at least one shard and one sample per shard per window, got "
                    + shards + " shards and " + perShard + " per shard");
        }
    }

    /** Windows of {@code examplesPerStep} samples spread evenly over {@code shards} shards. */
    public static StepWindows of(int examplesPerStep, int shards) {
        if (shards < 1 || examplesPerStep % shards != 0) {
            throw new IllegalArgumentException("examples per step (" + examplesPerStep + ") must be a multiple of the "
                    + "number of shards (" + shards + ")");
        }
        return new StepWindows(shards, examplesPerStep / shards);
    }

    /** Samples in a full window. */
    public int size() {
        return shards * perShard;
    }

    /**
     * Samples window w holds once some shards have ended: an ended shard contributes only the samples it numbered.
     *
     * @param endedShardSamples for each shard, how many samples it numbered in all, or -1 while it goes on
     */
    public long sizeOf(long window, long[] endedShardSamples) {
        long size = 0;
        for (long total : endedShardSamples) {
            size += shareOf(window, total);
        }
        return size;
    }

    /** One shard's share of window w: perShard, or what is left of it when the shard ended (-1: it goes on). */
    public long shareOf(long window, long shardSamplesIfEnded) {
        return shardSamplesIfEnded < 0 ? perShard
                : Math.max(0, Math.min(perShard, shardSamplesIfEnded - window * perShard));
    }

    /** The window of the sample numbered {@code seq} within its shard. */
    public long windowOf(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("sequence numbers start at 0, got " + seq);
        }
        return seq / perShard;
    }
}
