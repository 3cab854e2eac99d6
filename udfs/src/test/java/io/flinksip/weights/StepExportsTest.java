package io.flinksip.weights;

import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An export is all there or not there: half-written directories of crashed attempts do not stay behind. */
class StepExportsTest {
    private static List<String> names(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theHalfWrittenExportOfACrashedAttemptIsRemovedByTheNextExport(@TempDir Path dir) throws IOException {
        Path abandoned = Files.createDirectories(dir.resolve(".tmp-step-00000007-123456"));
        Files.writeString(abandoned.resolve("model.safetensors"), "half");
        LlamaConfig config = TestModels.small();
        Path exported = new StepExports(dir, null).export(8, config, LlamaModel.initialWeights(config, 1));
        assertEquals(List.of("step-00000008"), names(dir), "only the complete export is left");
        assertEquals(config, HfCheckpoint.load(exported).config());
    }

    @Test
    void aFailedExportLeavesNothingBehind(@TempDir Path dir) {
        LlamaConfig config = TestModels.small();
        LinkedHashMap<String, float[]> missingATensor = LlamaModel.initialWeights(config, 1);
        missingATensor.remove(missingATensor.keySet().iterator().next());
        StepExports exports = new StepExports(dir, null);
        assertThrows(RuntimeException.class, () -> exports.export(9, config, missingATensor));
        assertTrue(assertDoesNotThrow(() -> names(dir)).isEmpty(), "no .tmp- directory stays behind");
    }
}
