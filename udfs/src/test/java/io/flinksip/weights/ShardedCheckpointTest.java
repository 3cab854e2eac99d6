package io.flinksip.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints split over several safetensors files, as transformers writes models above its shard size. */
class ShardedCheckpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static long bytes(Map<String, float[]> weights) {
        return weights.values().stream().mapToLong(w -> 4L * w.length).sum();
    }

    @Test
    void aCheckpointAboveTheShardSizeIsWrittenAsShardsWithAnIndexAndReadBackBitExact(@TempDir Path dir)
            throws IOException {
        LlamaConfig config = TestModels.small();
        LinkedHashMap<String, float[]> weights = LlamaModel.initialWeights(config, 3);
        long total = bytes(weights);
        HfCheckpoint.export(dir, config, weights, null, total / 3);

        assertFalse(Files.exists(dir.resolve(HfCheckpoint.WEIGHTS_FILE)), "a sharded export has no model.safetensors");
        JsonNode index = JSON.readTree(dir.resolve(HfCheckpoint.INDEX_FILE).toFile());
        assertEquals(total, index.path("metadata").path("total_size").asLong(), "total_size is the tensor bytes");
        Set<String> shards = new HashSet<>();
        index.path("weight_map").forEach(f -> shards.add(f.asText()));
        assertTrue(shards.size() >= 3, "a third of the size gives at least three shards: " + shards);
        for (String shard : shards) {
            assertTrue(shard.matches("model-\\d{5}-of-\\d{5}\\.safetensors"), "transformers' shard name: " + shard);
            assertTrue(shard.endsWith("-of-" + String.format("%05d", shards.size()) + ".safetensors"), shard);
            long shardBytes = SafetensorsFile.read(dir.resolve(shard)).values().stream()
                    .mapToLong(t -> 4L * t.data().length).sum();
            Map<String, long[]> shapes = SafetensorsFile.shapes(dir.resolve(shard));
            boolean oneLargeTensor = shapes.size() == 1;
            assertTrue(shardBytes <= total / 3 || oneLargeTensor, shard + " holds " + shardBytes + " bytes");
        }
        assertEquals(weights.keySet(), iterable(index.path("weight_map")), "every tensor is in the index");

        HfCheckpoint.Loaded loaded = HfCheckpoint.load(dir);
        assertEquals(config, loaded.config());
        for (String name : weights.keySet()) {
            assertArrayEquals(weights.get(name), loaded.weights().get(name), name);
        }
        assertEquals(config, HfCheckpoint.inspect(dir), "inspect reads the same config from the headers");
    }

    private static Set<String> iterable(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void belowTheShardSizeTheExportIsOneFileAndAPreviousLayoutIsRemoved(@TempDir Path dir) throws IOException {
        LlamaConfig config = TestModels.small();
        LinkedHashMap<String, float[]> weights = LlamaModel.initialWeights(config, 3);
        HfCheckpoint.export(dir, config, weights, null, bytes(weights) / 2);
        assertTrue(Files.exists(dir.resolve(HfCheckpoint.INDEX_FILE)));

        HfCheckpoint.export(dir, config, weights, null);
        try (var files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.contains("safetensors"))
                    .sorted().toList();
            assertEquals(List.of(HfCheckpoint.WEIGHTS_FILE), names,
                    "a loader must not find the earlier shards beside the new single file");
        }
        assertArrayEquals(weights.get("model.norm.weight"), HfCheckpoint.load(dir).weights().get("model.norm.weight"));
    }

    @Test
    void anIndexThatNamesAMissingShardOrAPathOutsideTheCheckpointIsRefused(@TempDir Path dir) throws IOException {
        LlamaConfig config = TestModels.small();
        LinkedHashMap<String, float[]> weights = LlamaModel.initialWeights(config, 3);
        HfCheckpoint.export(dir, config, weights, null, bytes(weights) / 2);
        ObjectNode index = (ObjectNode) JSON.readTree(dir.resolve(HfCheckpoint.INDEX_FILE).toFile());
        String first = weights.keySet().iterator().next();

        ((ObjectNode) index.path("weight_map")).put(first, "../elsewhere.safetensors");
        JSON.writeValue(dir.resolve(HfCheckpoint.INDEX_FILE).toFile(), index);
        IOException outside = assertThrows(IOException.class, () -> HfCheckpoint.load(dir));
        assertTrue(outside.getMessage().contains("invalid shard file"), outside.getMessage());

        ((ObjectNode) index.path("weight_map")).put(first, "model-00009-of-00009.safetensors");
        JSON.writeValue(dir.resolve(HfCheckpoint.INDEX_FILE).toFile(), index);
        IOException missing = assertThrows(IOException.class, () -> HfCheckpoint.inspect(dir));
        assertTrue(missing.getMessage().contains("model-00009-of-00009.safetensors"), missing.getMessage());
    }

    @Test
    void aDirectoryWithoutSafetensorsSaysWhatItReads(@TempDir Path dir) throws IOException {
        LlamaConfig config = TestModels.small();
        HfCheckpoint.export(dir, config, LlamaModel.initialWeights(config, 3), null);
        Files.delete(dir.resolve(HfCheckpoint.WEIGHTS_FILE));
        Files.writeString(dir.resolve("pytorch_model.bin"), "pickle");
        IOException e = assertThrows(IOException.class, () -> HfCheckpoint.inspect(dir));
        assertTrue(e.getMessage().contains("only safetensors"), e.getMessage());
    }
}
