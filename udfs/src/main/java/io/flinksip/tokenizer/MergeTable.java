package io.flinksip.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Ranked BPE merges over token ids, and the algorithm that applies them to one pre-tokenized word.
 *
 * <p>Application follows Hugging Face's BPE model exactly: repeatedly merge the adjacent pair with
 * the lowest rank, the leftmost one on ties, until no adjacent pair has a merge. A priority queue
 * with lazily discarded stale entries keeps this O(n log n), so a pathological piece (say 100 KB of
 * base64 that the regex keeps in one piece) cannot stall encoding.
 */
final class MergeTable {

    /** Packed {@code rank << 32 | mergedId}, keyed by packed {@code leftId << 32 | rightId}. */
    private final Map<Long, Long> mergeByPair;

    private MergeTable(Map<Long, Long> mergeByPair) {
        this.mergeByPair = mergeByPair;
    }

    /**
     * Resolves each merge's tokens, and the token it produces, to ids.
     *
     * @throws IllegalArgumentException if a merge mentions or produces a token missing from vocab
     */
    static MergeTable of(List<BpeModel.Merge> merges, Map<String, Integer> vocab) {
        Map<Long, Long> mergeByPair = new HashMap<>(merges.size() * 2);
        for (int rank = 0; rank < merges.size(); rank++) {
            BpeModel.Merge merge = merges.get(rank);
            int left = idOf(vocab, merge.left(), merge);
            int right = idOf(vocab, merge.right(), merge);
            int merged = idOf(vocab, merge.left() + merge.right(), merge);
            mergeByPair.putIfAbsent(pack(left, right), pack(rank, merged));
        }
        return new MergeTable(mergeByPair);
    }

    private static int idOf(Map<String, Integer> vocab, String token, BpeModel.Merge merge) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException(
                    "Merge " + merge + " uses " + token + ", which is not in the vocabulary");
        }
        return id;
    }

    private static long pack(int high, int low) {
        return ((long) high << 32) | (low & 0xFFFFFFFFL);
    }

    /**
     * Merges the symbols of one word.
     *
     * @param symbols the word's byte-symbol ids; not modified
     * @return the word's token ids
     */
    int[] apply(int[] symbols) {
        int length = symbols.length;
        int[] tokens = symbols.clone();
        int[] next = new int[length];
        int[] previous = new int[length];
        for (int i = 0; i < length; i++) {
            next[i] = i + 1 < length ? i + 1 : -1;
            previous[i] = i - 1;
        }
        // Entries are packed rank << 32 | position: the natural order is lowest rank, then
        // leftmost.
        PriorityQueue<Long> queue = new PriorityQueue<>();
        for (int i = 0; i + 1 < length; i++) {
            offer(queue, tokens, i, i + 1);
        }
        int remaining = length;
        while (!queue.isEmpty()) {
            long entry = queue.poll();
            int position = (int) entry;
            int right = next[position];
            if (tokens[position] < 0 || right < 0) {
                continue;
            }
            Long merge = mergeByPair.get(pack(tokens[position], tokens[right]));
            if (merge == null || (int) (merge >>> 32) != (int) (entry >>> 32)) {
                continue; // stale: one side of the pair was merged since the entry was queued
            }
            tokens[position] = (int) (long) merge;
            tokens[right] = -1;
            remaining--;
            next[position] = next[right];
            if (next[right] >= 0) {
                previous[next[right]] = position;
            }
            if (previous[position] >= 0) {
                offer(queue, tokens, previous[position], position);
            }
            if (next[position] >= 0) {
                offer(queue, tokens, position, next[position]);
            }
        }
        int[] merged = new int[remaining];
        for (int i = 0, out = 0; i >= 0 && out < remaining; i = next[i]) {
            merged[out++] = tokens[i];
        }
        return merged;
    }

    private void offer(PriorityQueue<Long> queue, int[] tokens, int left, int right) {
        Long merge = mergeByPair.get(pack(tokens[left], tokens[right]));
        if (merge != null) {
            queue.add(pack((int) (merge >>> 32), left));
        }
    }
}
