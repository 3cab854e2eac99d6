package io.flinksip.deploy;

import io.flinksip.job.ClusterEntry;
import org.apache.flink.configuration.YamlParserUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image cannot be built here (no Docker engine): after the build, this test renders what deploy/Dockerfile would
 * put where (every COPY source resolved against the build's outputs), and checks the image against what the
 * Kubernetes manifest expects of it. It runs after packaging, when the shaded jar exists.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ImageLayoutITCase {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Image path → the build output copied there (directories expanded). */
    static Map<String, Path> render(Path dockerfile) throws IOException {
        Map<String, Path> image = new LinkedHashMap<>();
        String text = Files.readString(dockerfile).replace("\\\n", " ");
        for (String line : text.lines().toList()) {
            if (!line.startsWith("COPY ")) {
                continue;
            }
            String[] parts = line.substring(5).trim().split("\\s+");
            String destination = parts[parts.length - 1];
            for (int i = 0; i < parts.length - 1; i++) {
                List<Path> sources = glob(parts[i]);
                assertFalse(sources.isEmpty(), "COPY source " + parts[i] + " exists after the build");
                for (Path source : sources) {
                    if (Files.isDirectory(source)) {
                        try (Stream<Path> files = Files.list(source)) {
                            files.forEach(f -> image.put(destination + f.getFileName(), f));
                        }
                    } else {
                        image.put(destination.endsWith("/") ? destination + source.getFileName() : destination,
                                source);
                    }
                }
            }
        }
        return image;
    }

    private static List<Path> glob(String pattern) throws IOException {
        Path dir = ROOT.resolve(pattern).getParent();
        String name = Path.of(pattern).getFileName().toString();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> matcher.matches(f.getFileName())).forEach(out::add);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    @Test
    void theImageHoldsWhatTheManifestStarts() throws Exception {
        Map<String, Path> image = render(ROOT.resolve("deploy/Dockerfile"));
        Map<String, Object> spec = (Map<String, Object>) YamlParserUtils.loadYamlFile(
                ROOT.resolve("deploy/k8s/flink-sip.yaml").toFile()).get("spec");
        Map<String, Object> job = (Map<String, Object>) spec.get("job");
        Map<String, Object> conf = (Map<String, Object>) spec.get("flinkConfiguration");

        String jarPath = String.valueOf(job.get("jarURI")).substring("local://".length());
        Path jar = image.get(jarPath);
        assertNotNull(jar, "the manifest's jarURI " + jarPath + " is in the image: " + image.keySet());
        assertEquals(ROOT.resolve("flink-job/target/flink-sip-cluster.jar"), jar, "the shaded jar, not the thin one");
        assertEquals(ClusterEntry.class.getName(), job.get("entryClass"));
        Method main = ClusterEntry.class.getMethod("main", String[].class);
        assertTrue(Modifier.isStatic(main.getModifiers()), "a static main the operator can call");
        try (JarFile shaded = new JarFile(jar.toFile())) {
            assertEquals(ClusterEntry.class.getName(), shaded.getManifest().getMainAttributes().getValue("Main-Class"),
                    "flink run without an entry class starts the entry that does not exit the JVM");
            for (String cls : List.of("io/flinksip/job/ClusterEntry.class", "io/flinksip/learn/LearnerOperator.class",
                    "org/apache/flink/connector/kafka/source/KafkaSource.class", "org/apache/avro/Schema.class",
                    "picocli/CommandLine.class", "com/fasterxml/jackson/databind/ObjectMapper.class")) {
                assertNotNull(shaded.getEntry(cls), "the job jar holds " + cls);
            }
            assertTrue(shaded.stream().noneMatch(e -> e.getName().startsWith("ai/djl/")),
                    "DJL must not be in the job jar: its natives load once per JVM, from lib/");
        }
        for (String djl : List.of("api-", "pytorch-engine-", "pytorch-jni-", "pytorch-native-cpu-", "tokenizers-",
                "gson-", "jna-")) {
            assertTrue(image.keySet().stream().anyMatch(p -> p.startsWith("/opt/flink/lib/" + djl)),
                    "lib/ holds " + djl + "*: " + image.keySet());
        }
        assertEquals("ai.djl.", conf.get("classloader.parent-first-patterns.additional"));

        String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile"));
        boolean s3 = conf.values().stream().anyMatch(v -> String.valueOf(v).startsWith("s3://"));
        assertTrue(!s3 || dockerfile.contains("/opt/flink/plugins/s3-fs-hadoop"), "s3:// paths need the S3 plugin");
        assertTrue(!String.valueOf(conf.get("metrics.reporter.prom.factory.class")).contains("Prometheus")
                || dockerfile.contains("/opt/flink/plugins/metrics-prometheus"), "the reporter needs its plugin");

        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) spec.get("podTemplate")).get("spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        List<String> mounts = ((List<Map<String, Object>>) container.get("volumeMounts")).stream()
                .map(m -> String.valueOf(m.get("mountPath"))).toList();
        String tokenizer = String.valueOf(conf.get("sip.tokenizer.path"));
        assertTrue(mounts.stream().anyMatch(m -> tokenizer.startsWith(m + "/")),
                "sip.tokenizer.path " + tokenizer + " is on a mounted volume: " + mounts);
        String exports = String.valueOf(conf.get("sip.export.dir"));
        assertTrue(exports.contains("://") || mounts.contains(exports),
                "exports are written with java.nio: a mounted volume, " + exports);
        List<String> env = ((List<Map<String, Object>>) container.get("env")).stream()
                .map(e -> String.valueOf(e.get("name"))).toList();
        assertTrue(!s3 || env.containsAll(List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")),
                "S3 credentials from a Secret: " + env);
    }
}
