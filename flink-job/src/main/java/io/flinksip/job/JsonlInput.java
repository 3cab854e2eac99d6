package io.flinksip.job;

import io.flinksip.schema.Document;
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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * JSONL input read outside the job exactly as the job reads it: the same files of a directory (hidden and
 * {@code _}-prefixed ones skipped, in path order), the same decompression, the same line splitting and length cap
 * ({@link RawLineReader}) and the same document rules ({@link DocumentParser}). The census, the tokenizer trained on
 * the input, evaluation prefixes, {@code produce}, the soak's pool and the benchmark all read through it, so none of
 * them is lenient where the job is strict.
 */
public final class JsonlInput {
    /** The lines the job would read, what they were, and the dead-letter reasons of the rejected ones. */
    public record Counts(long lines, long documents, long blank, Map<String, Long> rejected) {
        public long rejectedLines() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Visits a raw line; returns false to stop reading. */
    @FunctionalInterface
    public interface LineVisitor {
        boolean visit(RawLine line) throws IOException;
    }

    private JsonlInput() {
    }

    /** The files of {@code input} (a file or a directory) in the order the job reads them. */
    public static List<Path> files(Path input) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(input)) {
            try (var s = Files.walk(input)) {
                s.filter(Files::isRegularFile).filter(p -> visible(input.relativize(p))).sorted().forEach(files::add);
            }
        } else {
            files.add(input);
        }
        return files;
    }

    /**
     * Every raw line of the input, until the visitor returns false; false when a file has a compression this reader
     * cannot open (bz2, xz, zstd: the job reads those through Flink's codecs).
     */
    public static boolean forEachLine(Path input, int maxLineBytes, LineVisitor visitor) throws IOException {
        for (Path f : files(input)) {
            Optional<InputStream> opened = open(f);
            if (opened.isEmpty()) {
                return false;
            }
            try (RawLineReader reader = new RawLineReader(opened.get(), maxLineBytes)) {
                RawLine line;
                while ((line = reader.read()) != null) {
                    if (!visitor.visit(line)) {
                        return true;
                    }
                }
            }
        }
        return true;
    }

    /** Every document the job would accept, until {@code each} returns false; the rest counted by reason. */
    public static Counts documents(Path input, int maxLineBytes, Predicate<Document> each) throws IOException {
        DocumentParser parser = new DocumentParser(input.getFileName() == null ? "input"
                : input.getFileName().toString());
        long[] lines = new long[3];
        Map<String, Long> rejected = new TreeMap<>();
        boolean readable = forEachLine(input, maxLineBytes, line -> {
            lines[0]++;
            DocumentParser.Result r = parser.parse(line);
            if (r.isBlank()) {
                lines[2]++;
                return true;
            }
            if (r.deadLetter() != null) {
                rejected.merge(r.deadLetter().getReason(), 1L, Long::sum);
                return true;
            }
            lines[1]++;
            return each.test(r.document());
        });
        if (!readable) {
            throw new IOException(input + " holds a compression only the job's file source reads (bz2, xz, zstd)");
        }
        return new Counts(lines[0], lines[1], lines[2], rejected);
    }

    private static Optional<InputStream> open(Path f) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
        String name = f.getFileName().toString();
        if (name.endsWith(".gz") || name.endsWith(".gzip")) {
            return Optional.of(new GZIPInputStream(raw, 1 << 16));
        }
        if (name.endsWith(".deflate")) {
            return Optional.of(new InflaterInputStream(raw));
        }
        if (name.endsWith(".bz2") || name.endsWith(".xz") || name.endsWith(".zst")) {
            raw.close();
            return Optional.empty();
        }
        return Optional.of(raw);
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
