package io.flinksip.job.demo;

import io.flinksip.weights.HfCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's run command, scaled down: loss falls and every promised artefact is written and loadable. */
class PolicyTrainingDemoTest {
    @Test
    void demoTrainsAndWritesLoadableArtefacts(@TempDir Path work) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PolicyTrainingDemo.Options options = new PolicyTrainingDemo.Options(40, 8, 64, 512, 400, 7, 3e-3, 10, work);
        PolicyTrainingDemo.Result r = new PolicyTrainingDemo(options, new PrintStream(bytes, true,
                StandardCharsets.UTF_8)).run();
        String log = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(r.finalHeldOutLoss() < r.initialHeldOutLoss() - 0.5,
                "held-out loss should fall clearly: " + r.initialHeldOutLoss() + " -> " + r.finalHeldOutLoss());
        assertTrue(log.contains("step    40/40"), log);
        assertTrue(log.contains("(falling)"), log);
        HfCheckpoint.Loaded loaded = HfCheckpoint.load(r.checkpointDir());
        assertEquals(512, loaded.config().vocabSize());
        assertTrue(Files.size(r.checkpointDir().resolve("tokenizer.json")) > 1000);
        try (var chunks = Files.list(r.stateDir())) {
            assertTrue(chunks.count() >= 2, "header chunk plus data chunks");
        }
    }
}
