package io.flinksip.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonlInputTest {
    @Test
    void readsTheFilesAndLinesTheJobReadsWithTheJobsRules(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("b.jsonl"), "{\"id\":\"b1\",\"text\":\"second file\"}\n\n"
                + "{\"id\":\"b2\",\"text\":\"trailing\"} junk\n");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("a.jsonl.gz")))) {
            out.write(("\uFEFF{\"id\":\"a1\",\"text\":\"first file, with a BOM\"}\r\n{\"id\":\"a2\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve(".in-progress.jsonl"), "{\"id\":\"hidden\",\"text\":\"not yet\"}\n");
        Files.createDirectories(dir.resolve("_temporary"));
        Files.writeString(dir.resolve("_temporary").resolve("x.jsonl"), "{\"id\":\"tmp\",\"text\":\"no\"}\n");

        List<String> ids = new ArrayList<>();
        JsonlInput.Counts counts = JsonlInput.documents(dir, 1 << 20, d -> ids.add(d.getId()));
        assertEquals(List.of("a1", "b1"), ids, "files in path order, hidden and _ ones skipped, the BOM stripped");
        assertEquals(5, counts.lines());
        assertEquals(2, counts.documents());
        assertEquals(1, counts.blank());
        assertEquals(Map.of("malformed_json", 1L, "missing_field", 1L), counts.rejected(),
                "the job's reasons for the lines it would dead-letter");
        assertEquals(InputCensus.of(dir, 1 << 20).orElseThrow(), new InputCensus(5, 1), "the census agrees");
    }

    @Test
    void stopsWhenAskedAndRefusesCompressionsOnlyTheJobReads(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("docs.jsonl"), "{\"id\":\"1\",\"text\":\"one\"}\n{\"id\":\"2\",\"text\":\"two\"}\n");
        List<String> first = new ArrayList<>();
        JsonlInput.documents(dir.resolve("docs.jsonl"), 1 << 20, d -> first.add(d.getId()) && false);
        assertEquals(List.of("1"), first);

        Files.write(dir.resolve("more.jsonl.zst"), new byte[] {1, 2, 3});
        assertThrows(java.io.IOException.class, () -> JsonlInput.documents(dir, 1 << 20, d -> true));
        assertEquals(java.util.Optional.empty(), InputCensus.of(dir, 1 << 20));
    }
}
