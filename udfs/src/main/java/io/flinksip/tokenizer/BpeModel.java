package io.flinksip.tokenizer;

import java.util.List;
import java.util.Map;

/**
 * The data of a BPE {@code tokenizer.json}, independent of how it is encoded or stored.
 *
 * @param vocab {@code model.vocab}: token string to id, iterated in id order
 * @param merges {@code model.merges}, highest priority (rank 0) first
 * @param addedTokens {@code added_tokens}
 */
record BpeModel(Map<String, Integer> vocab, List<Merge> merges, List<AddedToken> addedTokens) {

    /**
     * One merge rule: the adjacent tokens {@code left} and {@code right} become {@code left +
     * right}.
     *
     * @param left the left token string
     * @param right the right token string
     */
    record Merge(String left, String right) {}
}
