package io.flinksip.config;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointConfigFragmentsTest {

    /** A typo in a key would silently fall back to Flink's default: every key must be a real Flink option. */
    @Test
    void everyKeyIsAKnownFlinkOption() throws Exception {
        Set<String> known = new HashSet<>();
        for (Class<?> holder : new Class<?>[] {CheckpointingOptions.class, StateBackendOptions.class,
                RestartStrategyOptions.class, RocksDBOptions.class, RocksDBConfigurableOptions.class,
                TaskManagerOptions.class, org.apache.flink.configuration.PipelineOptions.class}) {
            for (Field f : holder.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> option = (ConfigOption<?>) f.get(null);
                    known.add(option.key());
                }
            }
        }
        Set<String> unknown = CheckpointConfigFragments.asMap().keySet().stream()
                .filter(k -> !known.contains(k)).collect(Collectors.toSet());
        assertTrue(unknown.isEmpty(), "unknown Flink options: " + unknown);
    }

    @Test
    void valuesParseToTheIntendedTypedSettings() {
        Configuration c = CheckpointConfigFragments.asConfiguration();
        assertEquals(Duration.ofSeconds(30), c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL));
        assertEquals(CheckpointingMode.EXACTLY_ONCE, c.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE));
        assertEquals(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION,
                c.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION));
        assertTrue(c.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS));
        assertEquals("rocksdb", c.get(StateBackendOptions.STATE_BACKEND));
        assertEquals("exponential-delay", c.get(RestartStrategyOptions.RESTART_STRATEGY));
        assertEquals(128L << 20, c.get(RocksDBConfigurableOptions.WRITE_BUFFER_SIZE).getBytes());
    }

    /** The fragments concatenated are a valid Flink config.yaml, as the cluster scripts will use them. */
    @Test
    void fragmentsFormAValidConfigYaml(@TempDir Path dir) throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (Map.Entry<String, String> e : CheckpointConfigFragments.asMap().entrySet()) {
            yaml.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        Files.writeString(dir.resolve("config.yaml"), yaml);
        Configuration loaded = GlobalConfiguration.loadConfiguration(dir.toString());
        assertEquals(Duration.ofMinutes(10), loaded.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT));
        assertEquals(3, loaded.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS));
    }
}
