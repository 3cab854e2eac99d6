package io.flinksip.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a small {@code tokenizer.json} laid out like Llama 2's (a SentencePiece BPE converted by transformers):
 * {@code <unk>}, {@code <s>}, {@code </s>}, byte fallback tokens {@code <0x00>..<0xFF>}, a {@code ▁} word marker put
 * in by the normalizer, and the decoder chain that undoes it. The pure-Java tokenizer does not implement this pipeline;
 * the native backend does.
 */
public final class SentencePieceStyleTokenizer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "\u2581";

    private SentencePieceStyleTokenizer() {
    }

    public static Path write(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        List<String> specials = List.of("<unk>", "<s>", "</s>");
        for (int id = 0; id < specials.size(); id++) {
            added.addObject().put("id", id).put("content", specials.get(id)).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        ObjectNode normalizer = root.putObject("normalizer").put("type", "Sequence");
        ArrayNode normalizers = normalizer.putArray("normalizers");
        normalizers.addObject().put("type", "Prepend").put("prepend", MARK);
        ObjectNode replace = normalizers.addObject().put("type", "Replace");
        replace.putObject("pattern").put("String", " ");
        replace.put("content", MARK);
        root.putNull("pre_tokenizer");
        root.putNull("post_processor");
        ObjectNode decoder = root.putObject("decoder").put("type", "Sequence");
        ArrayNode decoders = decoder.putArray("decoders");
        ObjectNode back = decoders.addObject().put("type", "Replace");
        back.putObject("pattern").put("String", MARK);
        back.put("content", " ");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);

        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", "<unk>");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        ObjectNode vocab = model.putObject("vocab");
        int id = 0;
        for (String s : specials) {
            vocab.put(s, id++);
        }
        for (int b = 0; b < 256; b++) {
            vocab.put(String.format("<0x%02X>", b), id++);
        }
        vocab.put(MARK, id++);
        for (char c = 33; c < 127; c++) {
            vocab.put(String.valueOf(c), id++);
        }
        ArrayNode merges = model.putArray("merges");
        for (String[] merge : new String[][] {{MARK, "t"}, {"h", "e"}, {MARK + "t", "he"}, {MARK, "a"}, {"i", "n"},
            {MARK, "c"}, {"a", "t"}, {MARK + "c", "at"}, {MARK, "s"}, {MARK + "s", "at"}}) {
            String merged = merge[0] + merge[1];
            if (!vocab.has(merged)) {
                vocab.put(merged, id++);
            }
            merges.add(merge[0] + " " + merge[1]);
        }
        JSON.writeValue(file.toFile(), root);
        return file;
    }
}
