package io.flinksip.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hugging Face checkpoint interchange: a directory with {@code config.json}, {@code model.safetensors} and
 * {@code generation_config.json} (and, with a tokenizer, {@code tokenizer.json}, {@code tokenizer_config.json} and
 * {@code special_tokens_map.json}: {@link HfTokenizerFiles}) that {@code transformers} loads as
 * {@code LlamaForCausalLM} and {@code AutoTokenizer}, and the reverse import for continual pretraining from an existing
 * checkpoint of that layout.
 */
public final class HfCheckpoint {
    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = "model.safetensors";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    /** Names the shard of every tensor when the weights are split over several files. */
    public static final String INDEX_FILE = "model.safetensors.index.json";
    /** transformers' {@code save_pretrained} default {@code max_shard_size} ("5GB", decimal units). */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A loaded checkpoint. */
    public record Loaded(LlamaConfig config, LinkedHashMap<String, float[]> weights) {
    }

    private HfCheckpoint() {
    }

    /** Writes the checkpoint into {@code dir} (created if missing), sharded above 5 GB as transformers does. */
    public static void export(Path dir, LlamaConfig config, Map<String, float[]> weights, Path tokenizerJson)
            throws IOException {
        export(dir, config, weights, tokenizerJson, DEFAULT_MAX_SHARD_BYTES);
    }

    /**
     * Writes the checkpoint into {@code dir}: one {@code model.safetensors} up to {@code maxShardBytes} of tensor
     * data, else shards of at most that size (a larger single tensor gets a shard of its own) named
     * {@code model-00001-of-0000N.safetensors} and {@link #INDEX_FILE}, the layout {@code from_pretrained} reads.
     */
    public static void export(Path dir, LlamaConfig config, Map<String, float[]> weights, Path tokenizerJson,
                              long maxShardBytes) throws IOException {
        if (maxShardBytes < 1) {
            throw new IllegalArgumentException("maxShardBytes must be positive");
        }
        Files.createDirectories(dir);
        Map<String, SafetensorsFile.Tensor> tensors = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, long[]> e : LlamaModel.parameterShapes(config).entrySet()) {
            float[] data = weights.get(e.getKey());
            if (data == null) {
                throw new IllegalArgumentException("missing weight " + e.getKey());
            }
            tensors.put(e.getKey(), new SafetensorsFile.Tensor(e.getValue(), data));
            total += 4L * data.length;
        }
        removeWeightFiles(dir); // a loader must not find a previous layout's file beside the new one
        if (total <= maxShardBytes) {
            SafetensorsFile.write(dir.resolve(WEIGHTS_FILE), tensors, Map.of("format", "pt"));
        } else {
            writeShards(dir, tensors, total, maxShardBytes);
        }
        JSON.writeValue(dir.resolve(CONFIG_FILE).toFile(), configJson(config));
        if (tokenizerJson != null && !tokenizerJson.toAbsolutePath().equals(dir.resolve(TOKENIZER_FILE)
                .toAbsolutePath())) {
            Files.copy(tokenizerJson, dir.resolve(TOKENIZER_FILE), StandardCopyOption.REPLACE_EXISTING);
        }
        HfTokenizerFiles.write(dir, config, tokenizerJson);
    }

    private static void removeWeightFiles(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(WEIGHTS_FILE));
        Files.deleteIfExists(dir.resolve(INDEX_FILE));
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors"))
                    .toList()) {
                Files.delete(f);
            }
        }
    }

    private static void writeShards(Path dir, Map<String, SafetensorsFile.Tensor> tensors, long total,
                                    long maxShardBytes) throws IOException {
        List<Map<String, SafetensorsFile.Tensor>> shards = new ArrayList<>();
        Map<String, SafetensorsFile.Tensor> current = new LinkedHashMap<>();
        long currentBytes = 0;
        for (Map.Entry<String, SafetensorsFile.Tensor> e : tensors.entrySet()) {
            long bytes = 4L * e.getValue().data().length;
            if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                currentBytes = 0;
            }
            current.put(e.getKey(), e.getValue());
            currentBytes += bytes;
        }
        shards.add(current);
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        ObjectNode weightMap = index.putObject("weight_map");
        for (int i = 0; i < shards.size(); i++) {
            String file = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            SafetensorsFile.write(dir.resolve(file), shards.get(i), Map.of("format", "pt"));
            shards.get(i).keySet().forEach(name -> weightMap.put(name, file));
        }
        JSON.writeValue(dir.resolve(INDEX_FILE).toFile(), index);
    }

    static ObjectNode configJson(LlamaConfig c) {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("architectures").add("LlamaForCausalLM");
        n.put("model_type", "llama");
        n.put("vocab_size", c.vocabSize());
        n.put("hidden_size", c.hiddenSize());
        n.put("intermediate_size", c.intermediateSize());
        n.put("num_hidden_layers", c.numLayers());
        n.put("num_attention_heads", c.numHeads());
        n.put("num_key_value_heads", c.numKeyValueHeads());
        n.put("head_dim", c.headDim());
        n.put("max_position_embeddings", c.maxPositionEmbeddings());
        n.put("rope_theta", c.ropeTheta());
        n.putNull("rope_scaling");
        n.put("rms_norm_eps", c.rmsNormEps());
        n.put("hidden_act", "silu");
        n.put("attention_bias", false);
        n.put("attention_dropout", 0.0);
        n.put("mlp_bias", false);
        n.put("tie_word_embeddings", c.tieWordEmbeddings());
        n.put("initializer_range", c.initializerRange());
        if (c.bosTokenId() >= 0) {
            n.put("bos_token_id", c.bosTokenId());
        } else {
            n.putNull("bos_token_id");
        }
        n.put("eos_token_id", c.eosTokenId());
        n.put("pad_token_id", c.eosTokenId());
        n.put("torch_dtype", "float32");
        n.put("use_cache", true);
        return n;
    }

    /**
     * Reads a checkpoint directory written by us or by transformers (Llama layout, F32/F16/BF16 weights, one
     * {@code model.safetensors} or shards named by {@link #INDEX_FILE}).
     */
    public static Loaded load(Path dir) throws IOException {
        LlamaConfig config = readConfig(dir);
        Map<String, SafetensorsFile.Tensor> tensors = new LinkedHashMap<>();
        for (Path file : weightFiles(dir)) {
            tensors.putAll(SafetensorsFile.read(file));
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensors.forEach((name, t) -> shapes.put(name, t.shape()));
        checkTensors(config, shapes);
        LinkedHashMap<String, float[]> weights = new LinkedHashMap<>();
        for (String name : LlamaModel.parameterShapes(config).keySet()) {
            weights.put(name, tensors.get(name).data());
        }
        return new Loaded(config, weights);
    }

    /**
     * Checks a checkpoint directory without reading its weights (config, and every tensor's presence and shape from
     * the safetensors headers), so a client can refuse a bad initial checkpoint before a job starts.
     */
    public static LlamaConfig inspect(Path dir) throws IOException {
        LlamaConfig config = readConfig(dir);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Path file : weightFiles(dir)) {
            shapes.putAll(SafetensorsFile.shapes(file));
        }
        checkTensors(config, shapes);
        return config;
    }

    /** The weight files of a checkpoint: {@code model.safetensors}, or the shards its index names. */
    static List<Path> weightFiles(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(WEIGHTS_FILE))) {
            return List.of(dir.resolve(WEIGHTS_FILE));
        }
        if (!Files.isRegularFile(dir.resolve(INDEX_FILE))) {
            throw new IOException(dir + " has neither " + WEIGHTS_FILE + " nor " + INDEX_FILE
                    + " (only safetensors checkpoints are read, not pytorch_model.bin)");
        }
        JsonNode map = JSON.readTree(dir.resolve(INDEX_FILE).toFile()).path("weight_map");
        if (!map.isObject() || map.isEmpty()) {
            throw new IOException(dir.resolve(INDEX_FILE) + " has no weight_map");
        }
        Set<Path> files = new LinkedHashSet<>();
        for (JsonNode file : map) {
            String name = file.asText("");
            // a shard is a file beside the index, never a path elsewhere
            if (!file.isTextual() || !name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
                throw new IOException(dir.resolve(INDEX_FILE) + " names an invalid shard file '" + name + "'");
            }
            files.add(dir.resolve(name));
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IOException("shard " + f.getFileName() + " named by " + INDEX_FILE + " is missing in "
                        + dir);
            }
        }
        return new ArrayList<>(files);
    }

    private static void checkTensors(LlamaConfig config, Map<String, long[]> shapes) throws IOException {
        for (Map.Entry<String, long[]> e : LlamaModel.parameterShapes(config).entrySet()) {
            long[] shape = shapes.get(e.getKey());
            if (shape == null) {
                throw new IOException("checkpoint lacks tensor " + e.getKey());
            }
            if (!java.util.Arrays.equals(shape, e.getValue())) {
                throw new IOException("tensor " + e.getKey() + " has shape " + java.util.Arrays.toString(shape)
                        + ", config implies " + java.util.Arrays.toString(e.getValue()));
            }
        }
        Set<String> expected = LlamaModel.parameterShapes(config).keySet();
        for (String name : shapes.keySet()) {
            // transformers may store a redundant lm_head for tied models, and rotary buffers in old checkpoints.
            boolean harmless = name.equals("lm_head.weight") || name.endsWith("rotary_emb.inv_freq");
            if (!expected.contains(name) && !harmless) {
                throw new IOException("unexpected tensor " + name + " in checkpoint");
            }
        }
    }

    /** Reads and checks {@code config.json}. */
    public static LlamaConfig readConfig(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(CONFIG_FILE))) {
            throw new IOException(dir + " is not a Hugging Face checkpoint: it has no " + CONFIG_FILE);
        }
        JsonNode n = JSON.readTree(dir.resolve(CONFIG_FILE).toFile());
        String type = n.path("model_type").asText("");
        if (!type.equals("llama")) {
            throw new IOException("expected model_type llama in " + dir.resolve(CONFIG_FILE) + ", got '" + type + "'");
        }
        if (n.path("rope_scaling").isObject()) {
            throw new IOException("rope_scaling is not supported");
        }
        if (n.path("attention_bias").asBoolean(false) || n.path("mlp_bias").asBoolean(false)) {
            throw new IOException("checkpoints with attention or MLP biases are not supported");
        }
        int hidden = required(n, "hidden_size");
        int heads = required(n, "num_attention_heads");
        if (n.has("head_dim") && !n.get("head_dim").isNull() && n.get("head_dim").asInt() != hidden / heads) {
            throw new IOException("head_dim different from hidden_size / num_attention_heads is not supported");
        }
        return new LlamaConfig(
                required(n, "vocab_size"), hidden, required(n, "intermediate_size"),
                required(n, "num_hidden_layers"), heads, n.path("num_key_value_heads").asInt(heads),
                n.path("max_position_embeddings").asInt(2048), n.path("rope_theta").asDouble(10_000.0),
                n.path("rms_norm_eps").asDouble(1e-6), n.path("tie_word_embeddings").asBoolean(false),
                n.path("bos_token_id").isInt() ? n.get("bos_token_id").asInt() : -1,
                firstInt(n.path("eos_token_id")), n.path("initializer_range").asDouble(0.02));
    }

    private static int required(JsonNode n, String field) throws IOException {
        if (!n.path(field).isInt()) {
            throw new IOException("config.json lacks integer field " + field);
        }
        return n.get(field).asInt();
    }

    private static int firstInt(JsonNode node) throws IOException {
        if (node.isInt()) {
            return node.asInt();
        }
        if (node.isArray() && node.size() > 0 && node.get(0).isInt()) {
            return node.get(0).asInt();
        }
        throw new IOException("config.json lacks eos_token_id");
    }
}
