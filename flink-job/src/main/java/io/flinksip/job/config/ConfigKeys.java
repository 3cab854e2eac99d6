package io.flinksip.job.config;

import io.flinksip.job.kafka.KafkaOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@code -Dkey=value} settings before anything starts. A misspelt {@code sip.*} key would otherwise be ignored
 * in silence (and, for {@code sip.tokenizer.path}, train a new tokenizer); a bad value would surface only when an
 * operator reads it on a TaskManager, after the job was submitted.
 *
 * <p>Every {@code sip.*} key must be one of ours (or the Kafka client passthrough); a key of Flink's own option classes
 * must parse as its type; any other key that is within a few edits of a known key is refused as a likely typo. Keys
 * that are neither (reporter, file system and plugin settings Flink reads by prefix) pass through unchanged.
 */
public final class ConfigKeys {
    private static final List<String> FLINK_OPTION_CLASSES = List.of(
            "org.apache.flink.configuration.CoreOptions",
            "org.apache.flink.configuration.CheckpointingOptions",
            "org.apache.flink.configuration.StateBackendOptions",
            "org.apache.flink.configuration.StateRecoveryOptions",
            "org.apache.flink.configuration.StateChangelogOptions",
            "org.apache.flink.configuration.RestartStrategyOptions",
            "org.apache.flink.configuration.PipelineOptions",
            "org.apache.flink.configuration.ExecutionOptions",
            "org.apache.flink.configuration.DeploymentOptions",
            "org.apache.flink.configuration.TaskManagerOptions",
            "org.apache.flink.configuration.JobManagerOptions",
            "org.apache.flink.configuration.RestOptions",
            "org.apache.flink.configuration.WebOptions",
            "org.apache.flink.configuration.MetricOptions",
            "org.apache.flink.configuration.SecurityOptions",
            "org.apache.flink.configuration.HighAvailabilityOptions",
            "org.apache.flink.configuration.ClusterOptions",
            "org.apache.flink.configuration.NettyShuffleEnvironmentOptions",
            "org.apache.flink.configuration.BlobServerOptions",
            "org.apache.flink.configuration.HeartbeatManagerOptions",
            "org.apache.flink.configuration.RpcOptions",
            "org.apache.flink.configuration.ResourceManagerOptions",
            "org.apache.flink.configuration.CleanupOptions",
            "org.apache.flink.configuration.BatchExecutionOptions",
            "org.apache.flink.configuration.JMXServerOptions",
            "org.apache.flink.configuration.QueryableStateOptions",
            "org.apache.flink.configuration.ExternalizedCheckpointRetention",
            "org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions",
            "org.apache.flink.state.rocksdb.RocksDBOptions",
            "org.apache.flink.state.rocksdb.RocksDBConfigurableOptions",
            "org.apache.flink.connector.file.src.FileSourceOptions");
    private static final int TYPO_DISTANCE = 3;
    /** Families Flink and its plugins read by prefix, with keys no option class lists. */
    private static final List<String> DYNAMIC_PREFIXES = List.of("metrics.reporter.", "s3.", "s3a.", "fs.",
            "containerized.", "kubernetes.", "plugin.", "high-availability.kubernetes.", "security.kerberos.",
            "yarn.", "table.", "execution.checkpointing.file-merging.");

    private final Map<String, ConfigOption<?>> sip = new LinkedHashMap<>();
    private final Map<String, ConfigOption<?>> flink = new LinkedHashMap<>();

    private static final ConfigKeys INSTANCE = new ConfigKeys();

    private ConfigKeys() {
        List<ConfigOption<?>> ours = new ArrayList<>(OptionsDocs.staticOptions(SipOptions.class));
        ours.addAll(OptionsDocs.staticOptions(KafkaOptions.class));
        LlmRoleOptions.all().forEach(r -> ours.addAll(r.options()));
        ours.forEach(o -> register(sip, o));
        for (String name : FLINK_OPTION_CLASSES) {
            try {
                OptionsDocs.staticOptions(Class.forName(name)).forEach(o -> register(flink, o));
            } catch (ClassNotFoundException | LinkageError absent) {
                // not on this classpath (the cluster's own jars): its keys pass through unchecked
            }
        }
    }

    private static void register(Map<String, ConfigOption<?>> into, ConfigOption<?> o) {
        into.putIfAbsent(o.key(), o);
        for (FallbackKey k : o.fallbackKeys()) {
            into.putIfAbsent(k.getKey(), o);
        }
    }

    /**
     * Turns the settings into a configuration after checking every key and value.
     *
     * @throws IllegalArgumentException naming the key, the value and what was expected, or the closest known key
     */
    public static Configuration toConfiguration(Map<String, String> settings) {
        Configuration conf = new Configuration();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            INSTANCE.check(e.getKey(), e.getValue());
            conf.setString(e.getKey(), e.getValue());
        }
        return conf;
    }

    /** Whether {@code key} is one of flink-sip's options (or the Kafka passthrough). */
    public static boolean isSipKey(String key) {
        return INSTANCE.sip.containsKey(key) || key.startsWith(KafkaOptions.PROPERTIES_PREFIX);
    }

    void check(String key, String value) {
        if (key.isBlank()) {
            throw new IllegalArgumentException("-D needs key=value, got an empty key");
        }
        if (key.startsWith(KafkaOptions.PROPERTIES_PREFIX)) {
            if (key.length() == KafkaOptions.PROPERTIES_PREFIX.length()) {
                throw new IllegalArgumentException(key + " needs a Kafka client key after the prefix");
            }
            return;
        }
        ConfigOption<?> option = sip.containsKey(key) ? sip.get(key) : flink.get(key);
        if (option != null) {
            checkValue(key, option, value);
            return;
        }
        Optional<String> closest = closest(key);
        if (key.startsWith("sip.")) {
            throw new IllegalArgumentException("unknown option " + key + closest.map(c -> "; did you mean " + c + "?")
                    .orElse("") + " (every option: docs/options.md, or ./flink-sip options)");
        }
        if (closest.isPresent() && DYNAMIC_PREFIXES.stream().noneMatch(key::startsWith)) {
            throw new IllegalArgumentException("unknown option " + key + "; did you mean " + closest.get() + "?");
        }
    }

    private static void checkValue(String key, ConfigOption<?> option, String value) {
        Configuration probe = new Configuration();
        probe.setString(option.key(), value);
        try {
            probe.get(option);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("option " + key + ": '" + value + "' is not " + expected(option));
        }
    }

    private static String expected(ConfigOption<?> option) {
        Class<?> type = typeOf(option);
        if (type != null && type.isEnum()) {
            StringBuilder values = new StringBuilder("one of");
            for (Object c : type.getEnumConstants()) {
                values.append(' ').append(c);
            }
            return values.toString();
        }
        return type == null ? "a valid value" : switch (type.getSimpleName()) {
            case "Integer", "Long" -> "an integer";
            case "Double", "Float" -> "a number";
            case "Boolean" -> "true or false";
            case "Duration" -> "a duration (e.g. 30 s, 5 min, 100 ms)";
            case "MemorySize" -> "a memory size (e.g. 512 mb, 2 gb)";
            default -> "a valid " + type.getSimpleName();
        };
    }

    private static Class<?> typeOf(ConfigOption<?> option) {
        try {
            var m = ConfigOption.class.getDeclaredMethod("getClazz");
            m.setAccessible(true);
            return (Class<?>) m.invoke(option);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private Optional<String> closest(String key) {
        List<String> known = new ArrayList<>(sip.keySet());
        known.addAll(flink.keySet());
        return known.stream().map(k -> Map.entry(k, distance(key, k))).filter(e -> e.getValue() <= TYPO_DISTANCE)
                .min(Comparator.comparingInt(Map.Entry::getValue)).map(Map.Entry::getKey);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitution, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
