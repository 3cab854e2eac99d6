package io.flinksip.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves a checkpoint directory's tokenizer the way {@code AutoTokenizer.from_pretrained} does (transformers 4.4x to
 * 5.x; vLLM and TGI call it), without Python: which class it picks, which special tokens it ends up with, and what it
 * then does that our model would not expect. The rules:
 * <ol>
 *   <li>the class is {@code tokenizer_class} of tokenizer_config.json, else of config.json, else the model type's
 *       default (Llama: {@code LlamaTokenizerFast} in 4.x, {@code LlamaTokenizer} in 5.x, the same defaults);</li>
 *   <li>special tokens start from the class's defaults (Llama: {@code <s>}, {@code </s>}, {@code <unk>} and
 *       {@code add_bos_token = true}; {@code PreTrainedTokenizerFast}: none), are overridden by tokenizer_config.json
 *       (an explicit null clears one), then by special_tokens_map.json;</li>
 *   <li>a special token whose text is neither in the vocabulary nor an added token of tokenizer.json is appended as a
 *       new token, with the next free id;</li>
 *   <li>{@code model_max_length} missing means "unbounded" (1e30), so truncation never happens.</li>
 * </ol>
 */
final class TransformersTokenizerResolution {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SPECIAL = List.of("bos_token", "eos_token", "unk_token", "pad_token");

    /**
     * @param tokenizerClass the class AutoTokenizer instantiates
     * @param specialTokens resolved special tokens by role (a null value: none)
     * @param ids the id each resolved special token text gets
     * @param addBosToken whether every encoding starts with the BOS token
     * @param modelMaxLength the length beyond which the tokenizer truncates, or null for unbounded
     * @param problems what a loader would do that the model does not expect (empty: read as we mean it)
     */
    record Resolved(String tokenizerClass, Map<String, String> specialTokens, Map<String, Integer> ids,
                    boolean addBosToken, Long modelMaxLength, List<String> problems) {
    }

    private TransformersTokenizerResolution() {
    }

    static Resolved resolve(Path dir) throws IOException {
        JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
        JsonNode tokenizer = JSON.readTree(dir.resolve("tokenizer.json").toFile());
        JsonNode tc = read(dir.resolve(HfTokenizerFiles.TOKENIZER_CONFIG));
        JsonNode map = read(dir.resolve(HfTokenizerFiles.SPECIAL_TOKENS_MAP));
        JsonNode generation = read(dir.resolve(HfTokenizerFiles.GENERATION_CONFIG));

        String cls = text(tc, "tokenizer_class");
        if (cls == null) {
            cls = text(config, "tokenizer_class");
        }
        if (cls == null && "llama".equals(text(config, "model_type"))) {
            cls = "LlamaTokenizerFast";
        }
        Map<String, String> special = new LinkedHashMap<>();
        boolean addBos;
        if (cls != null && cls.startsWith("LlamaTokenizer")) {
            special.put("bos_token", "<s>");
            special.put("eos_token", "</s>");
            special.put("unk_token", "<unk>");
            special.put("pad_token", null);
            addBos = true;
        } else {
            SPECIAL.forEach(k -> special.put(k, null));
            addBos = false;
        }
        for (JsonNode source : new JsonNode[] {tc, map}) {
            for (String k : SPECIAL) {
                if (source.has(k)) {
                    special.put(k, tokenText(source.get(k)));
                }
            }
        }
        if (tc.has("add_bos_token")) {
            addBos = tc.get("add_bos_token").asBoolean();
        }
        addBos &= special.get("bos_token") != null;

        Map<String, Integer> vocabulary = new HashMap<>();
        tokenizer.path("model").path("vocab").fields().forEachRemaining(e -> vocabulary.put(e.getKey(),
                e.getValue().asInt()));
        for (JsonNode t : tokenizer.path("added_tokens")) {
            vocabulary.put(t.path("content").asText(), t.path("id").asInt());
        }
        int vocabSize = config.path("vocab_size").asInt();
        int next = vocabulary.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<String> problems = new ArrayList<>();
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (var e : special.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            Integer id = vocabulary.get(e.getValue());
            if (id == null) {
                id = next++;
                vocabulary.put(e.getValue(), id);
                problems.add(e.getKey() + " '" + e.getValue() + "' is not in the vocabulary: appended as id " + id
                        + (id >= vocabSize ? ", past vocab_size " + vocabSize : ""));
            }
            ids.put(e.getKey(), id);
        }
        if (addBos) {
            problems.add("every encoding starts with BOS '" + special.get("bos_token") + "', which the model was "
                    + "not trained with");
        }
        int eos = config.path("eos_token_id").asInt(-1);
        if (ids.get("eos_token") == null || ids.get("eos_token") != eos) {
            problems.add("EOS resolves to " + ids.get("eos_token") + ", the model's eos_token_id is " + eos);
        }
        if (!generation.isMissingNode() && generation.has("eos_token_id")
                && generation.get("eos_token_id").asInt() != eos) {
            problems.add("generation_config.json stops on " + generation.get("eos_token_id") + ", not " + eos);
        }
        if (generation.isMissingNode()) {
            problems.add("no generation_config.json: generate() takes its defaults (max_length 20)");
        }
        Long maxLength = tc.path("model_max_length").isIntegralNumber() ? tc.get("model_max_length").asLong() : null;
        int positions = config.path("max_position_embeddings").asInt();
        if (maxLength == null || maxLength > positions) {
            problems.add("model_max_length " + (maxLength == null ? "unbounded" : maxLength)
                    + " exceeds max_position_embeddings " + positions);
        }
        return new Resolved(cls, special, ids, addBos, maxLength, problems);
    }

    private static JsonNode read(Path file) throws IOException {
        return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : JSON.missingNode();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    /** A special token is a string, an AddedToken dict with "content", or null. */
    private static String tokenText(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isObject() ? v.path("content").asText() : v.asText();
    }
}
