package io.flinksip.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the job's JSON-lines file sinks committed under a directory: every JSON object in the part files, in file
 * order. Hidden files (the sinks' in-progress and pending parts) are not committed output and are skipped.
 */
public final class JsonLinesDir {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLinesDir() {
    }

    public static List<JsonNode> read(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        out.add(JSON.readTree(line));
                    }
                }
            }
        }
        return out;
    }
}
