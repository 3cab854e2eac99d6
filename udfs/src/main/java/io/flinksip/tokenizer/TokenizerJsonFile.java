package io.flinksip.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes Hugging Face {@code tokenizer.json} files.
 *
 * <p>Files are written the way the Hugging Face BPE trainer lays them out (special tokens in both
 * {@code added_tokens} and {@code model.vocab}), pretty-printed with {@code \n} line ends so the
 * bytes depend only on the model, never on the platform. Merges are written as {@code "left right"}
 * strings: every tokenizers release reads that form (0.20+ also reads {@code [left, right]} pairs),
 * and byte-level tokens never contain a literal space, so the form is unambiguous.
 */
final class TokenizerJsonFile {

    /**
     * The longest token (in characters) a file may hold; the reader and the writer share it, so whatever this project
     * writes it can read back. Jackson's default bound on a JSON name length is the same figure.
     */
    static final int MAX_TOKEN_CHARS = 50_000;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNameLength(MAX_TOKEN_CHARS).build()).build());
    private static final ObjectWriter WRITER = MAPPER.writer(prettyPrinter());

    private final String source;
    private final ObjectNode root;

    private TokenizerJsonFile(String source, ObjectNode root) {
        this.source = source;
        this.root = root;
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer =
                new DefaultPrettyPrinter(
                        Separators.createDefaultInstance()
                                .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }

    /**
     * Parses a {@code tokenizer.json}.
     *
     * @throws IllegalArgumentException if the file is not a JSON object with a {@code model}
     */
    static TokenizerJsonFile read(Path path) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(path.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    path + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(root instanceof ObjectNode) || !root.path("model").isObject()) {
            throw new IllegalArgumentException(
                    path + " is not a tokenizer.json: no \"model\" object");
        }
        return new TokenizerJsonFile(path.toString(), (ObjectNode) root);
    }

    /** Returns {@code added_tokens}. */
    List<AddedToken> addedTokens() {
        List<AddedToken> tokens = new ArrayList<>();
        for (JsonNode token : root.path("added_tokens")) {
            tokens.add(
                    new AddedToken(
                            token.path("id").asInt(),
                            token.path("content").asText(),
                            token.path("special").asBoolean(false)));
        }
        return tokens;
    }

    /**
     * Returns every token string indexed by id, from {@code model.vocab} (an object for BPE,
     * WordPiece and WordLevel; a list of {@code [piece, score]} for Unigram) and {@code
     * added_tokens}. Ids no entry uses are {@code null}.
     */
    List<String> tokensById() {
        Map<Integer, String> byId = new LinkedHashMap<>();
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            vocab.fields().forEachRemaining(e -> byId.put(e.getValue().asInt(), e.getKey()));
        } else {
            for (int id = 0; id < vocab.size(); id++) {
                byId.put(id, vocab.get(id).path(0).asText());
            }
        }
        addedTokens().forEach(token -> byId.put(token.id(), token.content()));
        int size = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<String> tokens = new ArrayList<>(Collections.nCopies(size, (String) null));
        byId.forEach(tokens::set);
        return tokens;
    }

    /**
     * Returns the file's JSON with the special entries removed from {@code added_tokens}. Hugging
     * Face matches added tokens in the input text before anything else, whatever {@code
     * add_special_tokens} says; without the entries, special-token strings in a document are
     * tokenized as ordinary text. Their ids stay in {@code model.vocab} where the file has them.
     */
    String withoutSpecialAddedTokens() {
        ObjectNode copy = root.deepCopy();
        JsonNode added = copy.path("added_tokens");
        if (added instanceof ArrayNode) {
            Iterator<JsonNode> tokens = added.elements();
            while (tokens.hasNext()) {
                if (tokens.next().path("special").asBoolean(false)) {
                    tokens.remove();
                }
            }
        }
        try {
            return MAPPER.writeValueAsString(copy);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns the BPE model, after checking that the file describes exactly the byte-level BPE
     * pipeline {@link ByteLevelBpeTokenizer} implements.
     *
     * @throws IllegalArgumentException naming the first unsupported setting
     */
    BpeModel toByteLevelBpeModel() {
        JsonNode model = root.path("model");
        JsonNode preTokenizer = root.path("pre_tokenizer");
        require("BPE".equals(model.path("type").asText()), "model.type must be BPE");
        require(root.path("normalizer").isNull(), "normalizer must be null");
        require(
                "ByteLevel".equals(preTokenizer.path("type").asText())
                        && !preTokenizer.path("add_prefix_space").asBoolean(true)
                        && preTokenizer.path("use_regex").asBoolean(true),
                "pre_tokenizer must be ByteLevel with add_prefix_space=false and use_regex=true");
        require(
                "ByteLevel".equals(root.path("decoder").path("type").asText()),
                "decoder must be ByteLevel");
        require(isNullOrAbsent(model.get("dropout")), "model.dropout must be null");
        require(!model.path("byte_fallback").asBoolean(false), "model.byte_fallback must be false");
        require(!model.path("ignore_merges").asBoolean(false), "model.ignore_merges must be false");
        require(
                model.path("continuing_subword_prefix").asText("").isEmpty()
                        && model.path("end_of_word_suffix").asText("").isEmpty(),
                "model.continuing_subword_prefix and model.end_of_word_suffix must be null");
        List<AddedToken> addedTokens = addedTokens();
        require(
                addedTokens.stream().allMatch(AddedToken::special),
                "every added token must be special (plain added tokens are matched inside text)");

        Map<String, Integer> vocab = new LinkedHashMap<>();
        model.path("vocab")
                .fields()
                .forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        List<BpeModel.Merge> merges = new ArrayList<>();
        for (JsonNode merge : model.path("merges")) {
            merges.add(parseMerge(merge));
        }
        return new BpeModel(vocab, merges, addedTokens);
    }

    private BpeModel.Merge parseMerge(JsonNode merge) {
        if (merge.isArray() && merge.size() == 2) {
            return new BpeModel.Merge(merge.get(0).asText(), merge.get(1).asText());
        }
        String[] parts = merge.asText().split(" ", -1);
        require(merge.isTextual() && parts.length == 2, "malformed merge " + merge);
        return new BpeModel.Merge(parts[0], parts[1]);
    }

    private static boolean isNullOrAbsent(JsonNode node) {
        return node == null || node.isNull();
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(
                    source
                            + " is not supported by the pure-Java byte-level BPE tokenizer: "
                            + message);
        }
    }

    /** Writes {@code model} as a byte-level BPE {@code tokenizer.json}. */
    static void write(BpeModel model, Path path) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (AddedToken token : model.addedTokens()) {
            added.addObject()
                    .put("id", token.id())
                    .put("content", token.content())
                    .put("single_word", false)
                    .put("lstrip", false)
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", token.special());
        }
        root.putNull("normalizer");
        putByteLevel(root.putObject("pre_tokenizer"));
        root.putNull("post_processor");
        putByteLevel(root.putObject("decoder"));
        ObjectNode bpe = root.putObject("model");
        bpe.put("type", "BPE");
        bpe.putNull("dropout");
        bpe.putNull("unk_token");
        bpe.putNull("continuing_subword_prefix");
        bpe.putNull("end_of_word_suffix");
        bpe.put("fuse_unk", false);
        bpe.put("byte_fallback", false);
        bpe.put("ignore_merges", false);
        ObjectNode vocab = bpe.putObject("vocab");
        for (String token : model.vocab().keySet()) {
            if (token.length() > MAX_TOKEN_CHARS) {
                throw new IllegalArgumentException("token of " + token.length() + " characters exceeds the "
                        + MAX_TOKEN_CHARS + " a tokenizer.json may hold here");
            }
        }
        model.vocab().forEach(vocab::put);
        ArrayNode merges = bpe.putArray("merges");
        model.merges().forEach(merge -> merges.add(merge.left() + " " + merge.right()));
        Files.write(path, WRITER.writeValueAsBytes(root));
    }

    private static void putByteLevel(ObjectNode node) {
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", false);
        node.put("trim_offsets", true);
        node.put("use_regex", true);
    }
}
