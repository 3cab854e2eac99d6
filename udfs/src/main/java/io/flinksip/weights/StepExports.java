package io.flinksip.weights;

import io.flinksip.model.LlamaConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;

/**
 * Hugging Face checkpoints of a training run, one {@code step-NNNNNNNN} directory per exported step, each written to a
 * temporary directory first and renamed into place: a checkpoint is complete or absent, and a step redone after a
 * restore replaces its earlier export.
 */
public final class StepExports {
    private final Path dir;
    private final String tokenizerJson;

    /**
     * @param dir where the step directories go (a local or mounted path)
     * @param tokenizerJson content of tokenizer.json copied into every export, or null
     */
    public StepExports(Path dir, String tokenizerJson) {
        this.dir = dir;
        this.tokenizerJson = tokenizerJson;
    }

    public static String directoryName(long step) {
        return String.format("step-%08d", step);
    }

    /** Writes the checkpoint of {@code step}; returns its directory. */
    public Path export(long step, LlamaConfig config, Map<String, float[]> weights) {
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(directoryName(step));
            Path tmp = dir.resolve(String.format(".tmp-step-%08d-%d", step, System.nanoTime()));
            Path tokenizer = null;
            if (tokenizerJson != null) {
                tokenizer = Files.createTempFile("tokenizer", ".json");
                Files.writeString(tokenizer, tokenizerJson, StandardCharsets.UTF_8);
            }
            removeAbandoned();
            try {
                HfCheckpoint.export(tmp, config, weights, tokenizer);
            } catch (IOException | RuntimeException e) {
                if (Files.exists(tmp)) {
                    deleteRecursively(tmp);
                }
                throw e;
            } finally {
                if (tokenizer != null) {
                    Files.deleteIfExists(tokenizer);
                }
            }
            if (Files.exists(target)) {
                deleteRecursively(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("exporting step " + step + " to " + dir, e);
        }
    }

    /**
     * Removes the half-written exports of earlier attempts (a TaskManager killed mid-export leaves its {@code .tmp-}
     * directory behind). Exports are written by the learner alone, one at a time, so none is in progress here.
     */
    private void removeAbandoned() throws IOException {
        try (var entries = Files.list(dir)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(".tmp-step-")).toList()) {
                deleteRecursively(p);
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
