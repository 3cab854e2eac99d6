package io.flinksip.job;

import io.flinksip.segment.DocumentParser;
import io.flinksip.segment.RawLine;
import io.flinksip.segment.RawLineReader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Counts what a file input holds, the way the job reads it: the same files (hidden ones, named {@code .x} or
 * {@code _x}, are skipped, as Flink's file source skips them), the same decompression by extension, the same line
 * splitting and the same blank-line rule. The run's summary checks the job's outputs against it.
 *
 * @param lines input records (non-empty lines)
 * @param blank lines that are blank (only counted by the job)
 */
public record InputCensus(long lines, long blank) {
    /** The census of a file or directory, or empty when it holds a compression the census cannot read. */
    public static Optional<InputCensus> of(Path input, int maxLineBytes) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(input)) {
            try (var s = Files.walk(input)) {
                s.filter(Files::isRegularFile).filter(p -> visible(input.relativize(p))).sorted().forEach(files::add);
            }
        } else {
            files.add(input);
        }
        DocumentParser parser = new DocumentParser("census");
        long lines = 0;
        long blank = 0;
        for (Path f : files) {
            InputStream raw = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
            String name = f.getFileName().toString();
            InputStream in;
            if (name.endsWith(".gz") || name.endsWith(".gzip")) {
                in = new GZIPInputStream(raw, 1 << 16);
            } else if (name.endsWith(".deflate")) {
                in = new InflaterInputStream(raw);
            } else if (name.endsWith(".bz2") || name.endsWith(".xz") || name.endsWith(".zst")) {
                raw.close();
                return Optional.empty();
            } else {
                in = raw;
            }
            try (RawLineReader reader = new RawLineReader(in, maxLineBytes)) {
                RawLine line;
                while ((line = reader.read()) != null) {
                    lines++;
                    if (parser.parse(line).isBlank()) {
                        blank++;
                    }
                }
            }
        }
        return Optional.of(new InputCensus(lines, blank));
    }

    private static boolean visible(Path p) {
        for (Path part : p) {
            String n = part.toString();
            if (n.startsWith(".") || n.startsWith("_")) {
                return false;
            }
        }
        return true;
    }
}
