package io.flinksip.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GPT-2-style byte-level BPE in plain Java, reading and writing Hugging Face {@code
 * tokenizer.json}. For the files it accepts it produces the same ids as the Hugging Face library
 * (and {@link HuggingFaceTokenizerAdapter}) with special-token matching disabled.
 *
 * <p>Special tokens are never produced by {@link #encode}: the text is pre-tokenized and merged as
 * data, so the string {@code <|endoftext|>} in a document becomes ordinary tokens like {@code <|},
 * {@code endoftext}, {@code |>}. They are skipped by {@link #decode}.
 *
 * <p>Encoded words are cached, since natural text repeats a small set of words. The cache stops
 * growing at {@value #WORD_CACHE_CAPACITY} entries instead of evicting: the words seen first in a
 * stream are overwhelmingly the frequent ones, and never evicting keeps it lock-free.
 */
public final class ByteLevelBpeTokenizer implements TextTokenizer {

    private static final int WORD_CACHE_CAPACITY = 50_000;

    private final BpeModel model;
    private final MergeTable merges;
    private final String[] tokens;
    private final byte[][] tokenBytes;
    private final boolean[] special;
    private final int[] idByByte = new int[256];
    private final SpecialTokenIds specialIds;
    private final Map<String, int[]> wordCache = new ConcurrentHashMap<>();

    /**
     * Builds the encoder and decoder tables for a byte-level BPE model.
     *
     * @throws IllegalArgumentException if a byte symbol is missing from the vocabulary, a merge is
     *     unresolvable, or no special token has an EOS name
     */
    /** The vocabulary, merges and added tokens (for tests of what a trainer learned). */
    BpeModel model() {
        return model;
    }

    ByteLevelBpeTokenizer(BpeModel model) {
        this.model = model;
        this.merges = MergeTable.of(model.merges(), model.vocab());
        this.specialIds = SpecialTokenIds.resolve(model.addedTokens());
        for (int b = 0; b < 256; b++) {
            Integer id = model.vocab().get(String.valueOf(ByteLevelAlphabet.symbolOf(b)));
            if (id == null) {
                throw new IllegalArgumentException(
                        String.format("The vocabulary lacks the symbol for byte 0x%02X", b));
            }
            idByByte[b] = id;
        }
        int size =
                Math.max(
                                Collections.max(model.vocab().values()),
                                model.addedTokens().stream()
                                        .mapToInt(AddedToken::id)
                                        .max()
                                        .orElse(0))
                        + 1;
        tokens = new String[size];
        model.vocab().forEach((token, id) -> tokens[id] = token);
        special = new boolean[size];
        for (AddedToken token : model.addedTokens()) {
            tokens[token.id()] = token.content();
            special[token.id()] = token.special();
        }
        tokenBytes = new byte[size][];
        for (int id = 0; id < size; id++) {
            tokenBytes[id] = tokens[id] == null ? null : ByteLevelAlphabet.toBytes(tokens[id]);
        }
    }

    /**
     * Loads a byte-level BPE {@code tokenizer.json}, such as one written by {@link #save} or
     * GPT-2's.
     *
     * @throws IllegalArgumentException if the file uses a setting this class does not implement
     *     (normalizer, other pre-tokenizer, dropout, non-special added tokens, ...)
     */
    public static ByteLevelBpeTokenizer load(Path tokenizerJson) throws IOException {
        return new ByteLevelBpeTokenizer(
                TokenizerJsonFile.read(tokenizerJson).toByteLevelBpeModel());
    }

    /** Writes this tokenizer as a Hugging Face {@code tokenizer.json}. */
    public void save(Path tokenizerJson) throws IOException {
        TokenizerJsonFile.write(model, tokenizerJson);
    }

    @Override
    public int[] encode(String text) {
        IdBuffer ids = new IdBuffer(text.length() / 3 + 16);
        ByteLevelPreTokenizer.forEachPiece(
                LossyUtf8.replaceUnpairedSurrogates(text), piece -> ids.addAll(encodeWord(piece)));
        return ids.toArray();
    }

    private int[] encodeWord(String piece) {
        int[] cached = wordCache.get(piece);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        int[] symbols = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = idByByte[bytes[i] & 0xFF];
        }
        int[] word = merges.apply(symbols);
        if (wordCache.size() < WORD_CACHE_CAPACITY) {
            wordCache.put(piece, word);
        }
        return word;
    }

    @Override
    public String decode(int[] ids) {
        int length = 0;
        for (int id : ids) {
            checkId(id);
            length += special[id] ? 0 : tokenBytes[id].length;
        }
        byte[] bytes = new byte[length];
        int offset = 0;
        for (int id : ids) {
            if (!special[id]) {
                System.arraycopy(tokenBytes[id], 0, bytes, offset, tokenBytes[id].length);
                offset += tokenBytes[id].length;
            }
        }
        return LossyUtf8.decode(bytes);
    }

    @Override
    public int vocabSize() {
        return tokens.length;
    }

    @Override
    public int eosTokenId() {
        return specialIds.eos();
    }

    @Override
    public int padTokenId() {
        return specialIds.pad();
    }

    @Override
    public String tokenToString(int id) {
        checkId(id);
        return tokens[id];
    }

    private void checkId(int id) {
        if (id < 0 || id >= tokens.length || tokens[id] == null) {
            throw new IllegalArgumentException(
                    "Token id " + id + " is not in the vocabulary of size " + tokens.length);
        }
    }

    /** A growable int array, so encoding does not box every id. */
    private static final class IdBuffer {
        private int[] ids;
        private int size;

        IdBuffer(int capacity) {
            ids = new int[capacity];
        }

        void addAll(int[] more) {
            if (size + more.length > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(ids.length * 2, size + more.length));
            }
            System.arraycopy(more, 0, ids, size, more.length);
            size += more.length;
        }

        int[] toArray() {
            return Arrays.copyOf(ids, size);
        }
    }
}
