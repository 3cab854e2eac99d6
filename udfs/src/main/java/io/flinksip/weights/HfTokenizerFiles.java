package io.flinksip.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinksip.model.LlamaConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The files Hugging Face loaders read beside {@code tokenizer.json}. Without them {@code AutoTokenizer} falls back to
 * the class of the model type (for Llama, {@code LlamaTokenizerFast} with {@code <s>}, {@code </s>}, {@code <unk>} and
 * a BOS on every encoding); none of those strings is in our vocabulary, so it appends them past {@code vocab_size} and
 * the first forward pass fails. vLLM and TGI resolve tokenizers the same way.
 *
 * <ul>
 *   <li>{@code tokenizer_config.json}: {@code PreTrainedTokenizerFast} (the class that takes tokenizer.json as it is),
 *       EOS and pad = the model's end-of-text token, no BOS, no UNK, {@code add_bos_token: false}, the model's
 *       context length, and the added tokens;</li>
 *   <li>{@code special_tokens_map.json}: the same special tokens, for loaders that read only this file;</li>
 *   <li>{@code generation_config.json}: EOS and pad ids and greedy decoding up to the context length.</li>
 * </ul>
 *
 * <p>A tokenizer imported from a Hugging Face checkpoint keeps its own files: when {@code tokenizer.json} has a
 * {@code tokenizer_config.json} beside it, both tokenizer files are copied as they are.
 */
public final class HfTokenizerFiles {
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
    public static final String GENERATION_CONFIG = "generation_config.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HfTokenizerFiles() {
    }

    /** Writes the three files into {@code dir} for a model with {@code config} and the tokenizer {@code tokenizerJson}. */
    public static void write(Path dir, LlamaConfig config, Path tokenizerJson) throws IOException {
        JSON.writeValue(dir.resolve(GENERATION_CONFIG).toFile(), generationConfig(config));
        if (tokenizerJson == null) {
            return;
        }
        Path sourceDir = tokenizerJson.toAbsolutePath().getParent();
        if (sourceDir != null && Files.isRegularFile(sourceDir.resolve(TOKENIZER_CONFIG))) {
            for (String f : List.of(TOKENIZER_CONFIG, SPECIAL_TOKENS_MAP)) {
                if (Files.isRegularFile(sourceDir.resolve(f)) && !sourceDir.equals(dir.toAbsolutePath())) {
                    Files.copy(sourceDir.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return;
        }
        JsonNode tokenizer = JSON.readTree(tokenizerJson.toFile());
        String eos = tokenContent(tokenizer, config.eosTokenId(), tokenizerJson);
        ObjectNode tc = JSON.createObjectNode();
        tc.put("tokenizer_class", "PreTrainedTokenizerFast");
        tc.putNull("bos_token");
        tc.put("eos_token", eos);
        tc.put("pad_token", eos);
        tc.putNull("unk_token");
        tc.put("add_bos_token", false);
        tc.put("add_eos_token", false);
        tc.put("model_max_length", config.maxPositionEmbeddings());
        tc.put("clean_up_tokenization_spaces", false);
        ObjectNode decoder = tc.putObject("added_tokens_decoder");
        for (JsonNode t : tokenizer.path("added_tokens")) {
            ObjectNode d = decoder.putObject(String.valueOf(t.path("id").asInt()));
            d.put("content", t.path("content").asText());
            d.put("lstrip", t.path("lstrip").asBoolean(false));
            d.put("normalized", t.path("normalized").asBoolean(false));
            d.put("rstrip", t.path("rstrip").asBoolean(false));
            d.put("single_word", t.path("single_word").asBoolean(false));
            d.put("special", t.path("special").asBoolean(false));
        }
        JSON.writeValue(dir.resolve(TOKENIZER_CONFIG).toFile(), tc);
        ObjectNode map = JSON.createObjectNode();
        map.put("eos_token", eos);
        map.put("pad_token", eos);
        JSON.writeValue(dir.resolve(SPECIAL_TOKENS_MAP).toFile(), map);
    }

    static ObjectNode generationConfig(LlamaConfig config) {
        ObjectNode g = JSON.createObjectNode();
        if (config.bosTokenId() >= 0) {
            g.put("bos_token_id", config.bosTokenId());
        }
        g.put("eos_token_id", config.eosTokenId());
        g.put("pad_token_id", config.eosTokenId());
        // Greedy, as the project evaluates; a caller who wants sampling says so per call.
        g.put("do_sample", false);
        g.put("max_length", config.maxPositionEmbeddings());
        return g;
    }

    /** The text of token {@code id}: an added token, or an entry of the model's vocabulary. */
    private static String tokenContent(JsonNode tokenizer, int id, Path file) throws IOException {
        for (JsonNode t : tokenizer.path("added_tokens")) {
            if (t.path("id").asInt(-1) == id) {
                return t.path("content").asText();
            }
        }
        JsonNode model = tokenizer.path("model").path("vocab");
        if (model.isArray() && id >= 0 && id < model.size()) {
            return model.get(id).get(0).asText(); // Unigram: [piece, score] by id
        }
        var vocab = model.fields();
        while (vocab.hasNext()) {
            var e = vocab.next();
            if (e.getValue().asInt(-1) == id) {
                return e.getKey();
            }
        }
        throw new IOException(file + " has no token with the model's EOS id " + id);
    }
}
