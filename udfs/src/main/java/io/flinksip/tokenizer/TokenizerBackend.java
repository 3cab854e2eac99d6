package io.flinksip.tokenizer;

/** Which implementation {@link Tokenizers#load} uses. */
public enum TokenizerBackend {
    /**
     * {@link #PURE_JAVA} when the file is the byte-level BPE pipeline it implements (what {@link
     * ByteLevelBpeTrainer} writes, GPT-2 style tokenizers), else {@link #HUGGING_FACE_NATIVE}
     * (SentencePiece-style Llama tokenizers, WordPiece, Unigram). The default.
     */
    AUTO,

    /**
     * {@link ByteLevelBpeTokenizer}: no native code, byte-level BPE files only. It runs anywhere a
     * Flink task manager runs and is what {@link ByteLevelBpeTrainer} produces.
     */
    PURE_JAVA,

    /** {@link HuggingFaceTokenizerAdapter}: the native Hugging Face library, any tokenizer.json. */
    HUGGING_FACE_NATIVE
}
