package io.flinksip.job;

import io.flinksip.segment.DocumentParser;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Counts what a file input holds, the way the job reads it ({@link JsonlInput}: the same files, hidden ones named
 * {@code .x} or {@code _x} skipped as Flink's file source skips them, the same decompression by extension, the same
 * line splitting and the same blank-line rule). The run's summary checks the job's outputs against it.
 *
 * @param lines input records (non-empty lines)
 * @param blank lines that are blank (only counted by the job)
 */
public record InputCensus(long lines, long blank) {
    /** The census of a file or directory, or empty when it holds a compression the census cannot read. */
    public static Optional<InputCensus> of(Path input, int maxLineBytes) throws IOException {
        DocumentParser parser = new DocumentParser("census");
        long[] counts = new long[2];
        boolean readable = JsonlInput.forEachLine(input, maxLineBytes, line -> {
            counts[0]++;
            if (parser.parse(line).isBlank()) {
                counts[1]++;
            }
            return true;
        });
        return readable ? Optional.of(new InputCensus(counts[0], counts[1])) : Optional.empty();
    }
}
