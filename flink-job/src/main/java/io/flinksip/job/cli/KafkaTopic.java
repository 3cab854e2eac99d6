package io.flinksip.job.cli;

import io.flinksip.job.kafka.KafkaOptions;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The brokers, topic and client settings the Kafka tools talk with. */
final class KafkaTopic {
    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "the brokers")
    String bootstrap;

    @Option(names = "--topic", required = true, paramLabel = "T", description = "the topic")
    String topic;

    @Option(names = "--client-config", paramLabel = "FILE", description = "Kafka client properties (security.protocol, "
            + "sasl.*, ssl.*), e.g. the client.properties that deploy/kafka.sh writes in sasl-ssl mode")
    Path clientConfig;

    /** The command's settings with the client config file, when one is given. */
    Configuration apply(Configuration conf) {
        if (clientConfig != null) {
            if (!Files.isReadable(clientConfig)) {
                throw new UserError("--client-config " + clientConfig + ": no such readable file");
            }
            conf.set(KafkaOptions.CLIENT_CONFIG_FILE, clientConfig.toString());
        }
        RunPreflight.kafka(bootstrap, conf, "give the client settings with --client-config FILE");
        return conf;
    }
}
