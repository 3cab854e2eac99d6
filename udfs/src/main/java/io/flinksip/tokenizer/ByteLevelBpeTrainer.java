package io.flinksip.tokenizer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a GPT-2-style byte-level BPE tokenizer from text, in plain Java.
 *
 * <p>The vocabulary is laid out as the Hugging Face BPE trainer lays it out: the special tokens
 * first (EOS, then padding if distinct), then the 256 byte symbols in code-point order, then one
 * token per merge. Text is pre-tokenized exactly as {@link ByteLevelBpeTokenizer} does, words are
 * counted once, and merges are learned by {@link BpeMergeLearner}, which picks the most frequent
 * adjacent pair and breaks ties by the smaller left id, then the smaller right id. Training is
 * therefore deterministic: the same texts and settings always give byte-identical {@code
 * tokenizer.json} files.
 *
 * <p>Merging continues while any pair occurs at least once. If the corpus runs out of pairs before
 * the vocabulary is full (a tiny corpus), the tokenizer is returned smaller than requested and a
 * warning is logged; {@link TextTokenizer#vocabSize()} reports the actual size.
 */
public final class ByteLevelBpeTrainer {

    /** The smallest vocabulary accepted: the 256 byte symbols plus room for useful merges. */
    public static final int MIN_VOCAB_SIZE = 512;

    /** The largest vocabulary accepted, matching the small models flink-sip trains. */
    public static final int MAX_VOCAB_SIZE = 4096;

    /**
     * The longest token a merge may create, in byte-level characters (one per UTF-8 byte), as the Hugging Face
     * trainer's {@code max_token_length}. Without a bound, a run of one character learns ever longer tokens (a
     * 100,000-letter run made a 65,536-character token); real vocabularies' longest are a few dozen.
     */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 32;

    private static final Logger LOG = LoggerFactory.getLogger(ByteLevelBpeTrainer.class);

    private final int vocabSize;
    private final SpecialTokens specialTokens;
    private final int maxTokenLength;

    /** A trainer for {@code vocabSize} tokens with {@link SpecialTokens#DEFAULT}. */
    public ByteLevelBpeTrainer(int vocabSize) {
        this(vocabSize, SpecialTokens.DEFAULT);
    }

    public ByteLevelBpeTrainer(int vocabSize, SpecialTokens specialTokens) {
        this(vocabSize, specialTokens, DEFAULT_MAX_TOKEN_LENGTH);
    }

    /**
     * A trainer for {@code vocabSize} tokens, special tokens included.
     *
     * @throws IllegalArgumentException if {@code vocabSize} is outside [{@value #MIN_VOCAB_SIZE},
     *     {@value #MAX_VOCAB_SIZE}]
     */
    public ByteLevelBpeTrainer(int vocabSize, SpecialTokens specialTokens, int maxTokenLength) {
        if (maxTokenLength < 2 || maxTokenLength > TokenizerJsonFile.MAX_TOKEN_CHARS) {
            throw new IllegalArgumentException("maxTokenLength must be between 2 and "
                    + TokenizerJsonFile.MAX_TOKEN_CHARS + ", got " + maxTokenLength);
        }
        this.maxTokenLength = maxTokenLength;
        if (vocabSize < MIN_VOCAB_SIZE || vocabSize > MAX_VOCAB_SIZE) {
            throw new IllegalArgumentException(
                    "vocabSize must be between "
                            + MIN_VOCAB_SIZE
                            + " and "
                            + MAX_VOCAB_SIZE
                            + " inclusive, got "
                            + vocabSize);
        }
        this.vocabSize = vocabSize;
        this.specialTokens = Objects.requireNonNull(specialTokens, "specialTokens");
    }

    /** Learns merges from {@code texts}, each text pre-tokenized on its own. */
    public ByteLevelBpeTokenizer train(Iterable<String> texts) {
        List<String> tokensById = new ArrayList<>();
        Map<String, Integer> vocab = new LinkedHashMap<>();
        List<AddedToken> addedTokens = new ArrayList<>();
        for (String special : specialTokens.distinct()) {
            addedTokens.add(new AddedToken(tokensById.size(), special, true));
            addToken(special, tokensById, vocab);
        }
        int[] idByByte = new int[256];
        for (char symbol : ByteLevelAlphabet.symbolsInCodePointOrder()) {
            idByByte[ByteLevelAlphabet.byteOf(symbol)] = tokensById.size();
            addToken(String.valueOf(symbol), tokensById, vocab);
        }

        Map<String, Long> wordFrequencies = countWords(texts);
        int[][] words = new int[wordFrequencies.size()][];
        long[] frequencies = new long[wordFrequencies.size()];
        int w = 0;
        for (Map.Entry<String, Long> entry : wordFrequencies.entrySet()) {
            byte[] bytes = entry.getKey().getBytes(StandardCharsets.UTF_8);
            words[w] = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                words[w][i] = idByByte[bytes[i] & 0xFF];
            }
            frequencies[w++] = entry.getValue();
        }

        BpeMergeLearner learner = new BpeMergeLearner(words, frequencies);
        List<BpeModel.Merge> merges = new ArrayList<>();
        while (vocab.size() < vocabSize) {
            long pair = learner.pollBestPair();
            if (pair < 0) {
                LOG.warn(
                        "Corpus ran out of pairs: vocabulary has {} tokens instead of {}",
                        vocab.size(),
                        vocabSize);
                break;
            }
            String left = tokensById.get((int) (pair >>> 32));
            String right = tokensById.get((int) pair);
            if (left.length() + right.length() > maxTokenLength) {
                continue; // never merged: the pair's count stays, its queue entry is spent
            }
            // Two different merges can spell the same token (ab+c, a+bc); HF reuses its id.
            Integer merged = vocab.get(left + right);
            if (merged == null) {
                merged = tokensById.size();
                addToken(left + right, tokensById, vocab);
            }
            merges.add(new BpeModel.Merge(left, right));
            learner.merge((int) (pair >>> 32), (int) pair, merged);
        }
        return new ByteLevelBpeTokenizer(new BpeModel(vocab, merges, addedTokens));
    }

    private static void addToken(
            String token, List<String> tokensById, Map<String, Integer> vocab) {
        vocab.put(token, tokensById.size());
        tokensById.add(token);
    }

    private static Map<String, Long> countWords(Iterable<String> texts) {
        Map<String, Long> frequencies = new HashMap<>();
        for (String text : texts) {
            ByteLevelPreTokenizer.forEachPiece(
                    text, piece -> frequencies.merge(piece, 1L, Long::sum));
        }
        return frequencies;
    }
}
