package io.flinksip.tokenizer;

/** Which implementation {@link Tokenizers#load} uses. */
public enum TokenizerBackend {
    /**
     * {@link ByteLevelBpeTokenizer}: no native code, byte-level BPE files only. The default: it
     * runs anywhere a Flink task manager runs and is what {@link ByteLevelBpeTrainer} produces.
     */
    PURE_JAVA,

    /** {@link HuggingFaceTokenizerAdapter}: the native Hugging Face library, any tokenizer.json. */
    HUGGING_FACE_NATIVE
}
