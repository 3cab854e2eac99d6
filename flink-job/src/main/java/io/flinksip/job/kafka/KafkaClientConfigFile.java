package io.flinksip.job.kafka;

import org.apache.kafka.common.config.provider.FileConfigProvider;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeSet;

/**
 * A Kafka client properties file turned into references that each Kafka client resolves itself, with Kafka's
 * {@link FileConfigProvider}: {@code sasl.jaas.config=${sipclientconfig:/path:sasl.jaas.config}}. Only the key names
 * are read here; the values (passwords included) are read by the client where it runs, so they are never in the job
 * graph, Flink's configuration or a log line.
 */
final class KafkaClientConfigFile {
    private KafkaClientConfigFile() {
    }

    static void reference(Path file, Properties into) {
        Properties keys = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            keys.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException(KafkaOptions.CLIENT_CONFIG_FILE.key() + ": cannot read " + file
                    + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        String path = file.toAbsolutePath().normalize().toString();
        if (path.contains(":") || path.contains("}")) {
            throw new IllegalArgumentException(KafkaOptions.CLIENT_CONFIG_FILE.key() + ": " + path
                    + " contains ':' or '}', which Kafka's config references cannot carry; move the file");
        }
        for (String key : new TreeSet<>(keys.stringPropertyNames())) {
            if (key.startsWith("config.providers")) {
                throw new IllegalArgumentException(KafkaOptions.CLIENT_CONFIG_FILE.key() + ": " + file
                        + " sets " + key + "; config providers are set by the job, not the client config file");
            }
            if (into.containsKey(key)) {
                throw new IllegalArgumentException(key + " is set both in " + file + " and as "
                        + KafkaOptions.PROPERTIES_PREFIX + key + "; keep one");
            }
            into.setProperty(key, "${" + KafkaOptions.FILE_PROVIDER + ":" + path + ":" + key + "}");
        }
        String providers = into.getProperty("config.providers");
        into.setProperty("config.providers", providers == null || providers.isBlank() ? KafkaOptions.FILE_PROVIDER
                : providers + "," + KafkaOptions.FILE_PROVIDER);
        into.setProperty("config.providers." + KafkaOptions.FILE_PROVIDER + ".class",
                FileConfigProvider.class.getName());
    }
}
