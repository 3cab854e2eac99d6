package io.flinksip.job;

import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * Writes Avro records as JSON lines (Avro's JSON rendering of the record) through Flink's exactly-once FileSink:
 * part files are committed with checkpoints (and at the end of a bounded input), so committed output has no
 * duplicates across failures.
 */
final class JsonLines {
    private JsonLines() {
    }

    /**
     * @param parallelism of the conversion and the sink; the learner's outputs keep the learner's parallelism (1), so
     *     that a resume at another default parallelism restores their state
     */
    static <T extends SpecificRecordBase> void sink(DataStream<T> stream, String dir, String name, int parallelism) {
        FileSink<String> sink = FileSink.forRowFormat(new Path(dir), new SimpleStringEncoder<String>("UTF-8"))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(name).withPartSuffix(".jsonl").build())
                .build();
        // A task of its own: rolling a part file on a checkpoint syncs it to disk, which can wait behind other writes
        // (ext4 commits its journal with the dirty data ahead of it); chained to the learner, that wait was the
        // learner's pause.
        stream.map(r -> GenericData.get().toString(r)).uid("to-json-" + name).name("to-json " + name)
                .setParallelism(parallelism).startNewChain()
                .sinkTo(sink).uid("sink-" + name).name("sink " + name).setParallelism(parallelism);
    }
}
