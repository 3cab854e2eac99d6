package io.flinksip.segment;

import java.io.Serializable;

/**
 * How documents are cut into samples.
 *
 * @param suffixTokens N, the suffix length (the paper uses 128)
 * @param maxPrefixTokens prefixes longer than this keep only their last tokens (the paper: 2,048 − 128)
 * @param minPrefixTokens shortest prefix worth continuing; shorter documents are dead-lettered as {@code too_short}
 * @param policy one seeded random split per document (the paper) or every N-token chunk
 * @param maxDocumentChars longer documents are dead-lettered as {@code oversized_document} before tokenizing
 * @param seed seeds the split points (with the document id), so a replay cuts the same samples
 */
public record SegmentConfig(int suffixTokens, int maxPrefixTokens, int minPrefixTokens, SplitPolicy policy,
                            int maxDocumentChars, long seed) implements Serializable {
    /** Where documents are cut. */
    public enum SplitPolicy {
        RANDOM_ONE,
        EVERY_CHUNK
    }

    public SegmentConfig {
        if (suffixTokens < 1 || minPrefixTokens < 1 || maxPrefixTokens < minPrefixTokens) {
            throw new IllegalArgumentException("need suffixTokens >= 1 and 1 <= minPrefixTokens <= maxPrefixTokens");
        }
        if (maxDocumentChars < 1) {
            throw new IllegalArgumentException("maxDocumentChars must be positive");
        }
    }
}
