package io.flinksip.job.cli;

import io.flinksip.job.kafka.KafkaOptions;
import io.flinksip.job.kafka.KafkaTools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code tail}: committed PolicyUpdates of a topic. */
@Command(name = "tail", sortOptions = false, description = "Print the PolicyUpdates of a topic (committed records "
        + "only). Client settings from --client-config FILE and -Dsip.kafka.properties.<kafka key>=value.")
final class TailCommand extends SipSubcommand {
    @Mixin
    KafkaTopic kafka;

    @Option(names = "--limit", paramLabel = "N", description = "stop after N records (no limit)")
    int limit = Integer.MAX_VALUE;

    @Option(names = "--seconds", paramLabel = "N", description = "stop after N seconds (3600)")
    int seconds = 3600;

    @Mixin
    FlinkSettings flink;

    @Override
    public Integer call() throws Exception {
        if (limit < 1 || seconds < 1) {
            throw usage("--limit and --seconds must be positive");
        }
        var conf = kafka.apply(flink.configuration(spec));
        KafkaTools.tail(kafka.bootstrap, kafka.topic, KafkaOptions.clientProperties(conf), limit,
                Duration.ofSeconds(seconds), out());
        return 0;
    }
}
