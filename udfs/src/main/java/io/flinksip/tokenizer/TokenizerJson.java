package io.flinksip.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a tokenizer from the content of a {@code tokenizer.json}. Operators carry the content (not a path) in the job
 * graph, so every TaskManager tokenizes identically without a shared file system.
 */
public final class TokenizerJson {
    private TokenizerJson() {
    }

    public static TextTokenizer load(String content, TokenizerBackend backend) {
        try {
            Path tmp = Files.createTempFile("flink-sip-tokenizer", ".json");
            try {
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                return Tokenizers.load(tmp, backend);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer.json", e);
        }
    }
}
