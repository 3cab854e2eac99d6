package io.flinksip.job.kafka;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Kafka input and outputs. Input documents are Avro {@code Document} values (key: the document id); outputs are Avro
 * values written exactly-once. Client settings for your cluster come from a Kafka client properties file
 * ({@link #CLIENT_CONFIG_FILE}: where credentials belong) and from {@code sip.kafka.properties.<kafka key>}, e.g.
 * {@code sip.kafka.properties.compression.type: zstd}.
 */
public final class KafkaOptions {
    private KafkaOptions() {
    }

    public static final String PROPERTIES_PREFIX = "sip.kafka.properties.";

    /** The Kafka config provider name under which the client config file is resolved. */
    static final String FILE_PROVIDER = "sipclientconfig";

    public static final ConfigOption<String> CLIENT_CONFIG_FILE = ConfigOptions.key("sip.kafka.client-config-file")
            .stringType().noDefaultValue().withDescription("A Kafka client properties file (what Kafka's tools take "
                    + "as --command-config: security.protocol, sasl.*, ssl.*). Every Kafka client of the job reads "
                    + "it where it runs, through Kafka's FileConfigProvider, so passwords stay out of the job graph, "
                    + "Flink's configuration and the logs; the file must be readable at this path where the job is "
                    + "built and on every JobManager and TaskManager (mount the secret).");

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("sip.kafka.bootstrap-servers")
            .stringType().noDefaultValue().withDescription("Kafka bootstrap servers. Setting it with an input topic "
                    + "or pattern makes Kafka the job's input instead of files.");

    public static final ConfigOption<String> INPUT_TOPICS = ConfigOptions.key("sip.kafka.input.topics").stringType()
            .noDefaultValue().withDescription("Comma-separated topics of Avro Document values.");

    public static final ConfigOption<String> INPUT_PATTERN = ConfigOptions.key("sip.kafka.input.topic-pattern")
            .stringType().noDefaultValue().withDescription("Regular expression of input topics (instead of a list).");

    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("sip.kafka.input.group-id").stringType()
            .defaultValue("flink-sip").withDescription("Consumer group (offsets live in Flink's checkpoints; the "
                    + "group only shows progress in Kafka tools).");

    public static final ConfigOption<String> STARTING_OFFSETS = ConfigOptions.key("sip.kafka.input.starting-offsets")
            .stringType().defaultValue("earliest").withDescription("earliest, latest, or committed (the group's "
                    + "committed offsets, earliest where none) for a job without state.");

    public static final ConfigOption<Boolean> BOUNDED = ConfigOptions.key("sip.kafka.input.bounded").booleanType()
            .defaultValue(false).withDescription("Stop at the offsets that are latest when the job starts (a finite "
                    + "run over what the topics hold) instead of consuming forever.");

    public static final ConfigOption<String> UPDATES_TOPIC = ConfigOptions.key("sip.kafka.output.policy-updates-topic")
            .stringType().noDefaultValue().withDescription("Topic for Avro PolicyUpdate records (exactly-once).");

    public static final ConfigOption<String> DEAD_LETTERS_TOPIC = ConfigOptions
            .key("sip.kafka.output.dead-letters-topic").stringType().noDefaultValue()
            .withDescription("Topic for Avro DeadLetter records (exactly-once).");

    public static final ConfigOption<String> EXAMPLES_TOPIC = ConfigOptions.key("sip.kafka.output.examples-topic")
            .stringType().noDefaultValue().withDescription("Topic for Avro TrainingExample records (exactly-once).");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = ConfigOptions
            .key("sip.kafka.output.transactional-id-prefix").stringType().defaultValue("flink-sip")
            .withDescription("Prefix of the exactly-once sinks' transactional ids; unique per job on a cluster.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = ConfigOptions
            .key("sip.kafka.output.transaction-timeout").durationType().defaultValue(Duration.ofMinutes(15))
            .withDescription("Producer transaction timeout: how long a broker may be down without losing output. A "
                    + "broker that comes back after a checkpoint's transaction has been open longer than this aborts "
                    + "it, and those records are lost (run reports them). At most the brokers' "
                    + "transaction.max.timeout.ms (15 min by default); raise both for longer outages.");

    /** Whether the job reads from Kafka. */
    public static boolean kafkaInput(Configuration conf) {
        return conf.getOptional(BOOTSTRAP_SERVERS).isPresent()
                && (conf.getOptional(INPUT_TOPICS).isPresent() || conf.getOptional(INPUT_PATTERN).isPresent());
    }

    /**
     * The Kafka client properties: the {@code sip.kafka.properties.*} passthrough, plus a reference to every key of
     * the client config file (resolved by the client, so its values never pass through here).
     */
    public static Properties clientProperties(Configuration conf) {
        Properties p = new Properties();
        conf.toMap().forEach((k, v) -> {
            if (k.startsWith(PROPERTIES_PREFIX)) {
                p.setProperty(k.substring(PROPERTIES_PREFIX.length()), v);
            }
        });
        conf.getOptional(CLIENT_CONFIG_FILE).ifPresent(file -> KafkaClientConfigFile.reference(Path.of(file), p));
        return p;
    }
}
