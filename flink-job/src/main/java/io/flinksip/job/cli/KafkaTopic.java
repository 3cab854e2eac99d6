package io.flinksip.job.cli;

import picocli.CommandLine.Option;

/** The brokers and topic the Kafka tools talk to. */
final class KafkaTopic {
    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "the brokers")
    String bootstrap;

    @Option(names = "--topic", required = true, paramLabel = "T", description = "the topic")
    String topic;
}
