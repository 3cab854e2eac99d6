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
import java.util.LinkedHashMap;
import java.util.Map;

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
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A loaded checkpoint. */
    public record Loaded(LlamaConfig config, LinkedHashMap<String, float[]> weights) {
    }

    private HfCheckpoint() {
    }

    /** Writes the checkpoint into {@code dir} (created if missing). */
    public static void export(Path dir, LlamaConfig config, Map<String, float[]> weights, Path tokenizerJson)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, SafetensorsFile.Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : LlamaModel.parameterShapes(config).entrySet()) {
            float[] data = weights.get(e.getKey());
            if (data == null) {
                throw new IllegalArgumentException("missing weight " + e.getKey());
            }
            tensors.put(e.getKey(), new SafetensorsFile.Tensor(e.getValue(), data));
        }
        SafetensorsFile.write(dir.resolve(WEIGHTS_FILE), tensors, Map.of("format", "pt"));
        JSON.writeValue(dir.resolve(CONFIG_FILE).toFile(), configJson(config));
        if (tokenizerJson != null && !tokenizerJson.toAbsolutePath().equals(dir.resolve(TOKENIZER_FILE)
                .toAbsolutePath())) {
            Files.copy(tokenizerJson, dir.resolve(TOKENIZER_FILE), StandardCopyOption.REPLACE_EXISTING);
        }
        HfTokenizerFiles.write(dir, config, tokenizerJson);
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

    /** Reads a checkpoint directory written by us or by transformers (Llama layout, F32/F16/BF16 weights). */
    public static Loaded load(Path dir) throws IOException {
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
        LlamaConfig config = new LlamaConfig(
                required(n, "vocab_size"), hidden, required(n, "intermediate_size"),
                required(n, "num_hidden_layers"), heads, n.path("num_key_value_heads").asInt(heads),
                n.path("max_position_embeddings").asInt(2048), n.path("rope_theta").asDouble(10_000.0),
                n.path("rms_norm_eps").asDouble(1e-6), n.path("tie_word_embeddings").asBoolean(false),
                n.path("bos_token_id").isInt() ? n.get("bos_token_id").asInt() : -1,
                firstInt(n.path("eos_token_id")), n.path("initializer_range").asDouble(0.02));
        Map<String, SafetensorsFile.Tensor> tensors = SafetensorsFile.read(dir.resolve(WEIGHTS_FILE));
        LinkedHashMap<String, float[]> weights = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : LlamaModel.parameterShapes(config).entrySet()) {
            SafetensorsFile.Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new IOException("checkpoint lacks tensor " + e.getKey());
            }
            if (!java.util.Arrays.equals(t.shape(), e.getValue())) {
                throw new IOException("tensor " + e.getKey() + " has shape " + java.util.Arrays.toString(t.shape())
                        + ", config implies " + java.util.Arrays.toString(e.getValue()));
            }
            weights.put(e.getKey(), t.data());
        }
        for (String name : tensors.keySet()) {
            // transformers may store a redundant lm_head for tied models, and rotary buffers in old checkpoints.
            boolean harmless = name.equals("lm_head.weight") || name.endsWith("rotary_emb.inv_freq");
            if (!weights.containsKey(name) && !harmless) {
                throw new IOException("unexpected tensor " + name + " in checkpoint");
            }
        }
        return new Loaded(config, weights);
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
