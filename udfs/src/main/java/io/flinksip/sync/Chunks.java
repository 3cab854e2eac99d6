package io.flinksip.sync;

import io.flinksip.schema.Sample;

/**
 * Chunks: a shard's share of a step window, the unit strict mode generates rollouts for in one deterministic batch. A
 * chunk holds {@link StepWindows#perShard()} samples, fewer only when its shard ended inside it; then the sequence
 * stage sends a chunk-end marker, in the place of a sample, that says how many.
 */
public final class Chunks {
    private static final int SHARD_BITS = 20;

    private Chunks() {
    }

    /** The key of a sample's chunk: its step window and shard. */
    public static long chunkOf(Sample sample) {
        return (sample.getWindow() << SHARD_BITS) | sample.getShard();
    }

    /** A chunk-end marker: the chunk's shard and window, and in {@code seq} how many samples it holds. */
    public static Sample end(int shard, long window, long samples) {
        return Sample.newBuilder().setDocId("").setSampleIndex(-1).setShard(shard).setWindow(window).setSeq(samples)
                .setEventTimeMillis(0).setSplitSeed(0).build();
    }

    public static boolean isEnd(Sample sample) {
        return sample.getSampleIndex() < 0;
    }
}
