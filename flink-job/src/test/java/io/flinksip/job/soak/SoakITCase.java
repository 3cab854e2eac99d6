package io.flinksip.job.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak in CI size: files keep arriving for two and a half minutes, with savepoints and injected task failures;
 * every document fed is accounted for at the end, the faults happened, and memory stays within a bound (see
 * {@link #MAX_OUTSIDE_HEAP_GROWTH_PER_RESTART_MB}). The 30-minute figures are in docs/benchmarks.md.
 */
class SoakITCase {
    /**
     * A restarted task builds a new policy, tokenizer and RocksDB instance before the old ones' memory is returned to
     * the system, so each restart may raise the resident set once; what must not happen is growth that continues
     * between restarts (a native leak per step or per checkpoint). The bound allows one restart's worth per injected
     * failure and nothing per minute of steady running.
     */
    static final double MAX_OUTSIDE_HEAP_GROWTH_PER_RESTART_MB = 1_600;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void filesKeepArrivingThroughSavepointsAndFailuresAndEveryDocumentIsAccountedFor(@TempDir Path dir)
            throws Exception {
        SoakRun.Options options = new SoakRun.Options(Duration.ofSeconds(150), Duration.ofSeconds(40),
                Duration.ofSeconds(5), 20, Duration.ofSeconds(45), Duration.ofSeconds(60), Duration.ofSeconds(2),
                dir.resolve("soak"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SoakRun.Result r = new SoakRun(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        String printed = log.toString(StandardCharsets.UTF_8);

        assertTrue(r.accounted(), "every document fed is trained or dead-lettered once:\n" + printed);
        assertEquals(r.documents(), r.accounting().lines(), "the census counts what the soak fed");
        assertTrue(r.savepoints() >= 2, "savepoints were taken while files arrived:\n" + printed);
        assertEquals(2, r.failuresInjected(), printed);
        assertTrue(r.taskStarts() >= 1 + r.failuresInjected(), "each injected failure restarted the task: "
                + r.taskStarts() + " starts");
        JsonNode report = new ObjectMapper().readTree(r.report().toFile());
        assertTrue(report.path("samples").size() > 50, "memory was sampled throughout");
        assertTrue(Files.size(dir.resolve("soak/soak.png")) > 1000, "the chart is written");
        double first = Double.NaN;
        double last = Double.NaN;
        for (JsonNode s : report.path("samples")) {
            double outside = s.path("rssMb").asDouble() - s.path("heapCommittedMb").asDouble();
            if (s.path("seconds").asDouble() >= options.warmUp().toSeconds() && Double.isNaN(first)) {
                first = outside;
            }
            last = outside;
        }
        assertTrue(last - first <= MAX_OUTSIDE_HEAP_GROWTH_PER_RESTART_MB * r.failuresInjected(),
                "memory outside the heap grew " + (last - first) + " MB over " + r.failuresInjected()
                        + " restarts:\n" + printed);
    }
}
