package io.flinksip.job.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinksip.job.JsonLinesDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What a test run of the job committed: policy updates in step order, dead letters, the final export. */
public record JobOutputs(List<JsonNode> updates, List<JsonNode> deadLetters, Path exportDir) {
    /** Outputs under {@code out/} (policy-updates/, dead-letters/) and exports under {@code export/} of a run dir. */
    public static JobOutputs of(Path runDir) throws IOException {
        return of(runDir.resolve("out"), runDir.resolve("export"));
    }

    /** The outputs of {@code flink-sip run --work DIR}: DIR/output and DIR/export. */
    public static JobOutputs ofWorkDir(Path work) throws IOException {
        return of(work.resolve("output"), work.resolve("export"));
    }

    public static JobOutputs of(Path outputDir, Path exportDir) throws IOException {
        List<JsonNode> updates = new ArrayList<>(JsonLinesDir.read(outputDir.resolve("policy-updates")));
        updates.sort(Comparator.comparingLong(u -> u.get("step").asLong())); // part files are unordered
        return new JobOutputs(updates, JsonLinesDir.read(outputDir.resolve("dead-letters")), exportDir);
    }

    /** Samples trained, as docId#sampleIndex, in step order. */
    public List<String> trainedSamples() {
        List<String> out = new ArrayList<>();
        updates.forEach(u -> u.get("trainedSamples").forEach(s -> out.add(s.asText())));
        return out;
    }

    public Set<String> deadLetteredSamples() {
        Set<String> out = new HashSet<>();
        deadLetters.forEach(d -> out.add(d.path("docId").asText() + "#" + d.path("sampleIndex").asInt()));
        return out;
    }

    /** The updates without their wall-clock field, the only one that may differ between identical runs. */
    public List<JsonNode> updatesWithoutWallClock() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode u : updates) {
            ObjectNode copy = u.deepCopy();
            copy.remove("wallTimeMillis");
            out.add(copy);
        }
        return out;
    }

    /** model.safetensors of the newest export (the end of a bounded input is always exported). */
    public byte[] finalWeights() throws IOException {
        try (var dirs = Files.list(exportDir)) {
            Path last = dirs.filter(p -> p.getFileName().toString().startsWith("step-")).max(Comparator.naturalOrder())
                    .orElseThrow(() -> new AssertionError("no export under " + exportDir));
            return Files.readAllBytes(last.resolve("model.safetensors"));
        }
    }

    public long lastStep() {
        return updates.isEmpty() ? 0 : updates.get(updates.size() - 1).get("step").asLong();
    }
}
