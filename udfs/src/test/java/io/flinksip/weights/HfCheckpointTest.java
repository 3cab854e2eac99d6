package io.flinksip.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HfCheckpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void exportThenImportIsBitExact(@TempDir Path dir) throws IOException {
        for (LlamaConfig config : List.of(TestModels.small(), LlamaConfig.tiny(512, 0))) {
            Path out = dir.resolve(config.tieWordEmbeddings() ? "tied" : "untied");
            LinkedHashMap<String, float[]> weights = LlamaModel.initialWeights(config, 17);
            weights.get("model.norm.weight")[3] = Float.MIN_VALUE; // subnormal survives
            weights.get("model.norm.weight")[4] = -0.0f;
            HfCheckpoint.export(out, config, weights, null);
            HfCheckpoint.Loaded loaded = HfCheckpoint.load(out);
            assertEquals(config, loaded.config());
            assertEquals(weights.keySet(), loaded.weights().keySet());
            for (String name : weights.keySet()) {
                assertArrayEquals(weights.get(name), loaded.weights().get(name), name);
            }
        }
    }

    @Test
    void configJsonHasTheFieldsTransformersNeeds(@TempDir Path dir) throws IOException {
        LlamaConfig config = TestModels.small();
        HfCheckpoint.export(dir, config, LlamaModel.initialWeights(config, 1), null);
        JsonNode n = JSON.readTree(dir.resolve("config.json").toFile());
        assertEquals("LlamaForCausalLM", n.get("architectures").get(0).asText());
        assertEquals("llama", n.get("model_type").asText());
        assertEquals(64, n.get("vocab_size").asInt());
        assertEquals(2, n.get("num_key_value_heads").asInt());
        assertEquals(8, n.get("head_dim").asInt());
        assertEquals("silu", n.get("hidden_act").asText());
        assertEquals(false, n.get("tie_word_embeddings").asBoolean());
    }

    /** Header JSON, dtypes, shapes, and offsets that tile the data section exactly, checked from the raw bytes. */
    @Test
    void safetensorsFileIsWellFormed(@TempDir Path dir) throws IOException {
        LlamaConfig config = TestModels.small();
        HfCheckpoint.export(dir, config, LlamaModel.initialWeights(config, 2), null);
        byte[] file = Files.readAllBytes(dir.resolve("model.safetensors"));
        long headerLen = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "header padded to 8 bytes");
        JsonNode header = JSON.readTree(new String(file, 8, (int) headerLen, StandardCharsets.UTF_8).trim());
        assertEquals("pt", header.get("__metadata__").get("format").asText());
        Map<String, long[]> expected = LlamaModel.parameterShapes(config);
        List<long[]> ranges = new ArrayList<>();
        int tensors = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            tensors++;
            assertEquals("F32", e.getValue().get("dtype").asText());
            long[] shape = new long[e.getValue().get("shape").size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.getValue().get("shape").get(i).asLong();
                count *= shape[i];
            }
            assertArrayEquals(expected.get(e.getKey()), shape, e.getKey());
            long begin = e.getValue().get("data_offsets").get(0).asLong();
            long end = e.getValue().get("data_offsets").get(1).asLong();
            assertEquals(count * 4, end - begin);
            ranges.add(new long[] {begin, end});
        }
        assertEquals(expected.size(), tensors);
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        long cursor = 0;
        for (long[] r : ranges) {
            assertEquals(cursor, r[0], "no gaps or overlaps");
            cursor = r[1];
        }
        assertEquals(file.length - 8 - headerLen, cursor, "offsets cover the data section exactly");
    }

    @Test
    void importsHalfPrecisionCheckpoints(@TempDir Path dir) throws IOException {
        // A two-tensor file with F16 and BF16 data, written byte by byte as another writer would.
        String header = "{\"a\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 10).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        buf.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x0001); // 1, -2, smallest subnormal
        buf.putShort((short) 0x3F80).putShort((short) 0x4049); // 1.0, 3.140625
        Path file = dir.resolve("half.safetensors");
        Files.write(file, buf.array());
        Map<String, SafetensorsFile.Tensor> t = SafetensorsFile.read(file);
        assertArrayEquals(new float[] {1f, -2f, 0x1.0p-24f}, t.get("a").data());
        assertArrayEquals(new float[] {1f, 3.140625f}, t.get("b").data());
    }

    @Test
    void rejectsMalformedFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.safetensors");
        byte[] h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h).putLong(0);
        Files.write(file, buf.array());
        assertThrows(IOException.class, () -> SafetensorsFile.read(file), "offsets disagree with shape");
        Files.write(file, new byte[] {(byte) 0xFF, 0, 0, 0, 0, 0, 0, 0x7F});
        assertThrows(IOException.class, () -> SafetensorsFile.read(file), "absurd header length");
    }

    @Test
    void importRejectsShapeMismatch(@TempDir Path dir) throws IOException {
        LlamaConfig config = TestModels.small();
        HfCheckpoint.export(dir, config, LlamaModel.initialWeights(config, 1), null);
        String cfg = Files.readString(dir.resolve("config.json")).replace("\"intermediate_size\" : 48",
                "\"intermediate_size\" : 40");
        Files.writeString(dir.resolve("config.json"), cfg);
        IOException e = assertThrows(IOException.class, () -> HfCheckpoint.load(dir));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }
}
