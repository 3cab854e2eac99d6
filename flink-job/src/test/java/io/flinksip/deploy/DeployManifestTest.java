package io.flinksip.deploy;

import io.flinksip.config.CheckpointConfigFragments;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.kafka.KafkaOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes manifest cannot be applied here (no cluster, no Docker): this test parses it and checks the fields
 * the Flink Kubernetes Operator requires, and that every sip.* key in it is a real option.
 */
class DeployManifestTest {
    @SuppressWarnings("unchecked")
    @Test
    void flinkDeploymentHasWhatTheOperatorNeeds() throws Exception {
        Path manifest = Path.of("..", "deploy", "k8s", "flink-sip.yaml");
        Map<String, Object> doc = org.apache.flink.configuration.YamlParserUtils.loadYamlFile(manifest.toFile());
        assertEquals("flink.apache.org/v1beta1", doc.get("apiVersion"));
        assertEquals("FlinkDeployment", doc.get("kind"));
        Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
        for (String field : List.of("image", "flinkVersion", "serviceAccount", "flinkConfiguration", "jobManager",
                "taskManager", "job")) {
            assertNotNull(spec.get(field), "spec." + field);
        }
        Map<String, Object> job = (Map<String, Object>) spec.get("job");
        assertEquals("savepoint", job.get("upgradeMode"));
        assertTrue(String.valueOf(job.get("jarURI")).startsWith("local:///"));
        assertEquals(List.of(), job.get("args"), "ClusterEntry takes -D settings only; they are in flinkConfiguration");
        Map<String, Object> conf = (Map<String, Object>) spec.get("flinkConfiguration");
        assertEquals("rocksdb", conf.get("state.backend.type"));
        assertTrue(String.valueOf(conf.get("execution.checkpointing.dir")).contains("://"), "durable checkpoints");
        assertTrue(String.valueOf(conf.get("execution.checkpointing.savepoint-dir")).contains("://"));
        assertEquals("ai.djl.", conf.get("classloader.parent-first-patterns.additional"));
        Set<String> known = new HashSet<>();
        for (Class<?> holder : new Class<?>[] {SipOptions.class, KafkaOptions.class}) {
            for (Field f : holder.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    known.add(((ConfigOption<?>) f.get(null)).key());
                }
            }
        }
        for (String key : conf.keySet()) {
            if (key.startsWith("sip.") && !key.startsWith("sip.llm.") && !key.startsWith("sip.kafka.properties.")) {
                assertTrue(known.contains(key), "unknown option " + key);
            }
        }
        Configuration parsed = Configuration.fromMap((Map<String, String>) (Map<?, ?>) stringValues(conf));
        assertEquals(SipOptions.JudgeBackend.OPENAI, parsed.get(SipOptions.JUDGE_BACKEND));
        assertEquals("env:JUDGE_API_KEY", parsed.getString("sip.llm.api-key", ""), "the key comes from a secret");
        assertTrue(Files.readString(Path.of("..", "deploy", "Dockerfile")).contains("FROM flink:2.2-java17"));
        assertEquals("kubernetes", conf.get("high-availability.type"), "a JobManager loss does not lose the state");
        assertTrue(String.valueOf(conf.get("high-availability.storageDir")).contains("://"));
    }

    /** The manifest starts from the same Flink settings as every other way of running the job. */
    @SuppressWarnings("unchecked")
    @Test
    void flinkConfigurationCarriesEveryCheckpointsConfigFragment() throws Exception {
        Map<String, Object> doc = org.apache.flink.configuration.YamlParserUtils.loadYamlFile(
                Path.of("..", "deploy", "k8s", "flink-sip.yaml").toFile());
        Map<String, Object> conf = (Map<String, Object>) ((Map<String, Object>) doc.get("spec")).get(
                "flinkConfiguration");
        Set<String> durable = Set.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir");
        for (Map.Entry<String, String> fragment : CheckpointConfigFragments.asMap().entrySet()) {
            Object value = conf.get(fragment.getKey());
            assertNotNull(value, "deploy/k8s/flink-sip.yaml lacks " + fragment.getKey() + " of checkpoints-config/");
            if (durable.contains(fragment.getKey())) {
                assertTrue(String.valueOf(value).startsWith("s3://"), fragment.getKey() + " must be durable storage");
            } else {
                assertEquals(fragment.getValue(), String.valueOf(value), fragment.getKey()
                        + " differs from checkpoints-config/");
            }
        }
    }

    private static Map<String, String> stringValues(Map<String, Object> m) {
        Map<String, String> out = new java.util.HashMap<>();
        m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
