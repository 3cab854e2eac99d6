package io.flinksip.tokenizer;

import java.io.IOException;
import java.nio.file.Path;

/** Loads a {@code tokenizer.json} as a {@link TextTokenizer}. */
public final class Tokenizers {

    private Tokenizers() {}

    /** Loads with {@link TokenizerBackend#PURE_JAVA}. */
    public static TextTokenizer load(Path tokenizerJson) throws IOException {
        return load(tokenizerJson, TokenizerBackend.PURE_JAVA);
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
        return switch (backend) {
            case PURE_JAVA -> ByteLevelBpeTokenizer.load(tokenizerJson);
            case HUGGING_FACE_NATIVE -> HuggingFaceTokenizerAdapter.load(tokenizerJson);
        };
    }
}
