package io.flinksip.tokenizer;

/**
 * The tokenizer contract the rest of flink-sip depends on: text in, token ids out, and back.
 *
 * <p>Document text is data, never control: {@link #encode} treats every character of its input as
 * ordinary text, so a document that happens to contain {@code <|endoftext|>} cannot inject an
 * end-of-sequence marker into a training stream. Callers that need EOS or padding append {@link
 * #eosTokenId()} / {@link #padTokenId()} themselves.
 *
 * <p>Implementations are thread-safe.
 */
public interface TextTokenizer extends AutoCloseable {

    /**
     * Encodes text without adding any special tokens and without truncation.
     *
     * <p>Unpaired surrogates, which UTF-8 cannot represent, are encoded as U+FFFD.
     *
     * @param text the text, treated entirely as data (special-token strings included)
     * @return the token ids, one per token, in order
     */
    int[] encode(String text);

    /**
     * Decodes ids back to text, skipping special tokens. Byte sequences that are not valid UTF-8
     * (for example a generation that stopped halfway through an emoji) decode to U+FFFD replacement
     * characters instead of failing, following the Unicode "maximal subpart" practice.
     *
     * @param ids token ids, each in {@code [0, vocabSize())}
     * @return the decoded text
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    String decode(int[] ids);

    /** Returns the number of token ids: one more than the largest id, special tokens included. */
    int vocabSize();

    /** Returns the id that marks the end of a document. */
    int eosTokenId();

    /** Returns the id used to pad sequences; equal to {@link #eosTokenId()} unless configured. */
    int padTokenId();

    /**
     * Returns the vocabulary entry for an id exactly as stored in {@code tokenizer.json}; for
     * byte-level BPE that is the byte-to-unicode form, e.g. {@code "Ġthe"} for {@code " the"}.
     *
     * @param id a token id in {@code [0, vocabSize())}
     * @return the stored token string
     * @throws IllegalArgumentException if no token has this id
     */
    String tokenToString(int id);

    /** Releases native resources, if any. The pure-Java implementation holds none. */
    @Override
    default void close() {}
}
