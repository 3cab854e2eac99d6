package io.flinksip.job.kafka;

import io.flinksip.segment.RawLine;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/**
 * Keeps the partitions of a strict-mode Kafka input within a few step windows of each other, so that strict mode,
 * which waits for every partition's share of a window, does not have to hold the fast partitions' records meanwhile.
 *
 * <p>It uses Flink's split-level watermark alignment with a watermark that counts records: each partition (a split of
 * the source) has its own generator, whose watermark is the number of records it has read, and the source pauses a
 * partition whose count runs more than {@code maxDrift} ahead of the slowest one. An idle partition therefore holds
 * the others back, which is what strict mode needs anyway. These watermarks measure progress, not event time: the job
 * drops them right after the segment stage.
 */
public final class ShardAlignment {
    private static final String GROUP = "flink-sip-shards";

    private ShardAlignment() {
    }

    public static WatermarkStrategy<RawLine> strategy(long maxDriftRecords) {
        return WatermarkStrategy.<RawLine>forGenerator(context -> new RecordCount())
                .withWatermarkAlignment(GROUP, Duration.ofMillis(maxDriftRecords), Duration.ofMillis(100));
    }

    /** The number of records of one partition read so far, as a watermark. */
    static final class RecordCount implements WatermarkGenerator<RawLine> {
        private long records;

        @Override
        public void onEvent(RawLine event, long eventTimestamp, WatermarkOutput output) {
            records++;
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(records));
        }
    }
}
