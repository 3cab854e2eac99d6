package io.flinksip.config;

import org.apache.flink.configuration.Configuration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's default Flink settings for checkpointing, the RocksDB state backend and restarts, kept as
 * {@code config.yaml} fragments (flat {@code key: value} lines) so that the embedded runner, the standalone-cluster
 * scripts and the Kubernetes manifests all start from the same values. Later sources (a cluster's own config.yaml,
 * {@code -D} options) override them.
 */
public final class CheckpointConfigFragments {
    /** Fragment resources, applied in this order. */
    public static final List<String> FRAGMENTS = List.of(
            "flink-sip/checkpointing.yaml", "flink-sip/state-backend.yaml", "flink-sip/restart-strategy.yaml",
            "flink-sip/serialization.yaml");

    private CheckpointConfigFragments() {
    }

    /** All fragments as key → value strings, in file order. */
    public static Map<String, String> asMap() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String fragment : FRAGMENTS) {
            out.putAll(read(fragment));
        }
        return out;
    }

    /** All fragments as a Flink {@link Configuration}. */
    public static Configuration asConfiguration() {
        return Configuration.fromMap(asMap());
    }

    static Map<String, String> read(String resource) {
        InputStream in = CheckpointConfigFragments.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing config fragment " + resource + " on the classpath");
        }
        Map<String, String> out = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int colon = trimmed.indexOf(": ");
                if (colon <= 0) {
                    throw new IllegalStateException(resource + ":" + number + ": expected 'key: value', got: " + line);
                }
                out.put(trimmed.substring(0, colon).strip(), trimmed.substring(colon + 2).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
