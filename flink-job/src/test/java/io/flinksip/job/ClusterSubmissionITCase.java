package io.flinksip.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinksip.job.cli.FlinkSipCli;
import io.flinksip.job.support.TestClusters;
import io.flinksip.job.support.TestCorpus;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code flink-sip submit} builds the job from -D options and runs it where the client points (here a MiniCluster). */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterSubmissionITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestClusters.oneTaskManager();

    @Test
    void submitRunsTheConfiguredJob(@TempDir Path dir) throws Exception {
        TestCorpus corpus = TestCorpus.create(dir, 24, List.of());
        Files.writeString(dir.resolve("tokenizer.json"), corpus.tokenizerJson);
        String[] args = {"submit", "-Dsip.mode=NTP", "-Dsip.input.path=" + corpus.input,
            "-Dsip.tokenizer.path=" + dir.resolve("tokenizer.json"), "-Dsip.weights.dir=" + dir.resolve("weights"),
            "-Dsip.output.path=" + dir.resolve("out"), "-Dsip.export.dir=" + dir.resolve("export"),
            "-Dsip.segment.suffix-tokens=12", "-Dsip.segment.max-prefix-tokens=32",
            "-Dsip.segment.min-prefix-tokens=8", "-Dsip.learner.examples-per-step=4", "-Dsip.model.hidden-size=32",
            "-Dsip.model.intermediate-size=64", "-Dsip.model.layers=1", "-Dsip.model.heads=2",
            "-Dstate.backend.type=rocksdb"};
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FlinkSipCli.run(args, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        List<JsonNode> updates = TestCorpus.readJsonLines(dir.resolve("out/policy-updates"));
        assertEquals(6, updates.size(), "24 documents, 4 per step");
        assertTrue(Files.exists(dir.resolve("export/step-00000006/model.safetensors")), "exported at the end");
    }

    @Test
    void submitExplainsWhatIsMissing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FlinkSipCli.run(new String[] {"submit", "-Dsip.mode=NTP"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("sip.input.path"), err.toString());
    }
}
