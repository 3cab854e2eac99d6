package io.flinksip.job.cli;

import io.flinksip.job.config.SipOptions;
import io.flinksip.job.kafka.KafkaOptions;
import io.flinksip.job.kafka.KafkaTools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code produce}: JSONL into a topic. */
@Command(name = "produce", sortOptions = false, description = "Load JSONL (plain or .gz) into a Kafka topic as Avro "
        + "Documents (key = id). Client settings (security, TLS) from --client-config FILE and -Dsip.kafka.properties.<kafka key>=value.")
final class ProduceCommand extends SipSubcommand {
    @Mixin
    KafkaTopic kafka;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "JSONL, plain or .gz")
    Path input;

    @Mixin
    FlinkSettings flink;

    @Override
    public Integer call() throws Exception {
        var conf = kafka.apply(flink.configuration(spec));
        if (!Files.isRegularFile(input)) {
            throw new UserError("--input " + input + ": no such file");
        }
        KafkaTools.produce(kafka.bootstrap, kafka.topic, input, conf.get(SipOptions.INPUT_MAX_LINE_BYTES),
                KafkaOptions.clientProperties(conf), out());
        return 0;
    }
}
