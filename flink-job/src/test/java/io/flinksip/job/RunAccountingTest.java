package io.flinksip.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where every input went: the census of the input against the committed outputs, and the run's exit code. */
class RunAccountingTest {
    private static void write(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static String update(long step, String samples, String positions) {
        return "{\"step\": " + step + ", \"trainedSamples\": [" + samples + "], \"trainedPositions\": [" + positions
                + "]}";
    }

    private static String deadLetter(String doc, String reason, Integer seq) {
        return "{\"stage\": \"x\", \"reason\": \"" + reason + "\", \"docId\": \"" + doc + "\", \"sampleIndex\": "
                + (seq == null ? "null" : "0") + ", \"shard\": " + (seq == null ? "null" : "0") + ", \"seq\": "
                + (seq == null ? "null" : seq) + "}";
    }

    /** Four input lines: three documents and a blank line; one document is malformed. */
    private static InputCensus census(Path dir) throws IOException {
        write(dir.resolve("in/a.jsonl"), "{\"id\": \"a\", \"text\": \"x\"}", "   ", "{broken");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("in/b.jsonl.gz")))) {
            out.write("{\"id\": \"b\", \"text\": \"y\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        write(dir.resolve("in/.hidden/c.jsonl"), "{\"id\": \"c\", \"text\": \"z\"}"); // the file source skips it
        return InputCensus.of(dir.resolve("in"), 1 << 20).orElseThrow();
    }

    @Test
    void theCensusCountsLinesAndBlankLinesAsTheFileSourceReadsThem(@TempDir Path dir) throws Exception {
        InputCensus census = census(dir);
        assertEquals(4, census.lines(), "3 lines of a.jsonl and 1 of the gzipped b.jsonl.gz, not the hidden file");
        assertEquals(1, census.blank());
    }

    @Test
    void everyInputTrainedDeadLetteredOrBlankHolds(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        write(out.resolve("policy-updates/part-0.jsonl"), update(1, "\"a#0\"", "\"0/0\""));
        write(out.resolve("dead-letters/part-0.jsonl"), deadLetter(null, "malformed_json", null),
                deadLetter("b", "no_preference", 1));
        RunAccounting a = RunAccounting.of(census(dir), out);
        assertTrue(a.holdsForFinishedRun(), String.join("\n", a.describe(true)));
        assertEquals(1, a.trained());
        assertEquals(2, a.deadLettered());
        assertEquals(0L, a.deadLetters().get("stale"), "stale is shown even when 0");
        assertEquals("in 4 = trained 1 + dead-lettered 2 + blank 1", a.describe(true).get(0));
        assertEquals(0, new EmbeddedRun.Result("FINISHED", 1, null, null, out, null, a).exitCode());
    }

    @Test
    void aMissingSampleFailsAFinishedRunButIsInFlightForAStoppedOne(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        write(out.resolve("policy-updates/part-0.jsonl"), update(1, "\"a#0\"", "\"0/0\""));
        write(out.resolve("dead-letters/part-0.jsonl"), deadLetter(null, "malformed_json", null));
        RunAccounting a = RunAccounting.of(census(dir), out);
        assertFalse(a.holdsForFinishedRun());
        assertEquals(1, a.unaccounted());
        assertTrue(a.describe(true).get(2).startsWith("ERROR"), a.describe(true).toString());
        assertTrue(a.describe(false).get(2).contains("in flight"), a.describe(false).toString());
        assertEquals(3, new EmbeddedRun.Result("FINISHED", 1, null, null, out, null, a).exitCode(),
                "a finished run that lost an input fails");
        assertEquals(0, new EmbeddedRun.Result("CANCELED", 1, null, null, out, "file:/sp", a).exitCode(),
                "a run stopped with a savepoint holds the rest in the savepoint");
    }

    @Test
    void aSampleTrainedTwiceIsAnErrorEvenWhenDocumentIdsRepeat(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        // Two documents share the id "a" (positions 0 and 2): not a duplicate. Position 1 trained twice: a duplicate.
        write(out.resolve("policy-updates/part-0.jsonl"), update(1, "\"a#0\", \"b#0\"", "\"0/0\", \"0/1\""),
                update(2, "\"a#0\", \"b#0\"", "\"0/2\", \"0/1\""));
        RunAccounting a = RunAccounting.of(null, out);
        assertEquals(1, a.duplicates(), String.join("\n", a.describe(true)));
        assertEquals(3, new EmbeddedRun.Result("FINISHED", 2, null, null, out, null, a).exitCode());
    }

    @Test
    void aBoundedRunThatTrainedNothingFails(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        write(out.resolve("dead-letters/part-0.jsonl"), deadLetter(null, "malformed_json", null),
                deadLetter("a", "judge_timeout", 0), deadLetter("b", "judge_timeout", 1));
        RunAccounting a = RunAccounting.of(census(dir), out);
        assertTrue(a.holdsForFinishedRun(), String.join("\n", a.describe(true)));
        assertEquals(3, new EmbeddedRun.Result("FINISHED", 0, null, null, out, null, a).exitCode());
    }

    @Test
    void samplesAndDocumentsAreToldApartWhenDocumentsYieldSeveralSamples(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        write(out.resolve("policy-updates/part-0.jsonl"), update(1, "\"a#0\", \"a#1\", \"a#2\"",
                "\"0/0\", \"0/1\", \"0/2\""));
        write(out.resolve("dead-letters/part-0.jsonl"), deadLetter(null, "malformed_json", null),
                deadLetter("b", "no_preference", 3));
        RunAccounting a = RunAccounting.of(census(dir), out);
        assertTrue(a.holdsForFinishedRun(), String.join("\n", a.describe(true)));
        assertEquals(List.of("in 4 = 2 documents (as 4 samples: 3 trained + 1 dead-lettered) + dead-lettered 1 "
                + "+ blank 1"), a.describe(true).subList(0, 1));
    }
}
