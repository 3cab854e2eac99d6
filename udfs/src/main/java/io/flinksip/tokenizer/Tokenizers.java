package io.flinksip.tokenizer;

import java.io.IOException;
import java.nio.file.Path;

/** Loads a {@code tokenizer.json} as a {@link TextTokenizer}. */
public final class Tokenizers {

    private Tokenizers() {}

    /** Loads with {@link TokenizerBackend#AUTO}. */
    public static TextTokenizer load(Path tokenizerJson) throws IOException {
        return load(tokenizerJson, TokenizerBackend.AUTO);
    }

    /**
     * Loads with the given backend. Both give the same ids for a byte-level BPE file, and both
     * treat special-token strings inside text as plain text.
     *
     * @throws IllegalArgumentException if the backend cannot handle the file, or the file has no
     *     recognisable end-of-sequence token
     */
    public static TextTokenizer load(Path tokenizerJson, TokenizerBackend backend)
            throws IOException {
        return switch (resolve(tokenizerJson, backend)) {
            case AUTO -> throw new IllegalStateException("resolved above");
            case PURE_JAVA -> ByteLevelBpeTokenizer.load(tokenizerJson);
            case HUGGING_FACE_NATIVE -> HuggingFaceTokenizerAdapter.load(tokenizerJson);
        };
    }

    /**
     * The backend {@code backend} stands for on this file: {@link TokenizerBackend#AUTO} becomes
     * pure Java exactly when the file passes the pure-Java tokenizer's own format check.
     */
    public static TokenizerBackend resolve(Path tokenizerJson, TokenizerBackend backend)
            throws IOException {
        if (backend != TokenizerBackend.AUTO) {
            return backend;
        }
        try {
            TokenizerJsonFile.read(tokenizerJson).toByteLevelBpeModel();
            return TokenizerBackend.PURE_JAVA;
        } catch (IllegalArgumentException notByteLevel) {
            return TokenizerBackend.HUGGING_FACE_NATIVE;
        }
    }
}
