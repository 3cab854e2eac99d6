package io.flinksip.tokenizer;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The merge loop of BPE training over a multiset of words.
 *
 * <p>Each distinct pre-tokenized word is stored once with its frequency. Pair counts are kept for
 * the whole corpus together with the words each pair occurs in, so a merge only rewrites the words
 * that contain it and adjusts the counts of the pairs next to each merge site, instead of
 * recounting the corpus. The best pair comes from a priority queue whose entries may be stale:
 * counts only ever fall, except for pairs containing the newly merged token, which are queued
 * afresh after each merge; an entry whose count no longer matches is re-queued with the current
 * count when it surfaces.
 *
 * <p>Ties are broken deterministically: among pairs with the highest count, the one with the
 * smaller left id wins, then the smaller right id (the order Hugging Face's trainer uses). Ids are
 * assigned deterministically too, so the same corpus always yields the same merges, whatever the
 * iteration order of the words.
 */
final class BpeMergeLearner {

    private static final Comparator<Candidate> BEST_FIRST =
            Comparator.comparingLong(Candidate::count)
                    .reversed()
                    .thenComparingInt(Candidate::left)
                    .thenComparingInt(Candidate::right);

    private final int[][] words;
    private final long[] frequencies;
    private final Map<Long, PairStats> pairs = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(BEST_FIRST);
    private final int[] lastVisitedInMerge;
    private int mergeCount;

    /**
     * @param words each distinct word as its symbol ids; rewritten in place as merges are applied
     * @param frequencies how often each word occurs
     */
    BpeMergeLearner(int[][] words, long[] frequencies) {
        this.words = words;
        this.frequencies = frequencies;
        this.lastVisitedInMerge = new int[words.length];
        for (int w = 0; w < words.length; w++) {
            int[] word = words[w];
            for (int i = 0; i + 1 < word.length; i++) {
                PairStats stats = statsOf(word[i], word[i + 1]);
                stats.count += frequencies[w];
                stats.addWord(w);
            }
        }
        pairs.forEach((key, stats) -> queue.add(Candidate.of(key, stats.count)));
    }

    /** Returns the most frequent pair as {@code leftId << 32 | rightId}, or -1 if none is left. */
    long pollBestPair() {
        while (!queue.isEmpty()) {
            Candidate candidate = queue.poll();
            long key = pack(candidate.left(), candidate.right());
            long current = pairs.get(key).count;
            if (current == candidate.count()) {
                return key;
            }
            if (current > 0) {
                queue.add(Candidate.of(key, current));
            }
        }
        return -1;
    }

    /** Replaces every occurrence of {@code left right} in the words with {@code merged}. */
    void merge(int left, int right, int merged) {
        mergeCount++;
        PairStats mergedPair = pairs.get(pack(left, right));
        Set<Long> grownPairs = new HashSet<>();
        for (int i = 0; i < mergedPair.wordCount; i++) {
            int w = mergedPair.words[i];
            if (lastVisitedInMerge[w] != mergeCount) {
                lastVisitedInMerge[w] = mergeCount;
                mergeInWord(w, left, right, merged, grownPairs);
            }
        }
        for (long key : grownPairs) {
            queue.add(Candidate.of(key, pairs.get(key).count));
        }
    }

    /**
     * Merges left to right without overlap ({@code a a a} with {@code a a} gives {@code aa a}) and
     * applies the count changes around each merge site.
     */
    private void mergeInWord(int w, int left, int right, int merged, Set<Long> grownPairs) {
        int[] word = words[w];
        long frequency = frequencies[w];
        int[] out = new int[word.length];
        int length = 0;
        int i = 0;
        while (i < word.length) {
            if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                if (length > 0) {
                    add(out[length - 1], left, -frequency);
                    grow(out[length - 1], merged, frequency, w, grownPairs);
                }
                add(left, right, -frequency);
                if (i + 2 < word.length) {
                    add(right, word[i + 2], -frequency);
                    grow(merged, word[i + 2], frequency, w, grownPairs);
                }
                out[length++] = merged;
                i += 2;
            } else {
                out[length++] = word[i++];
            }
        }
        if (length < word.length) {
            words[w] = Arrays.copyOf(out, length);
        }
    }

    private void add(int left, int right, long delta) {
        statsOf(left, right).count += delta;
    }

    private void grow(int left, int right, long delta, int word, Set<Long> grownPairs) {
        PairStats stats = statsOf(left, right);
        stats.count += delta;
        stats.addWord(word);
        grownPairs.add(pack(left, right));
    }

    private PairStats statsOf(int left, int right) {
        return pairs.computeIfAbsent(pack(left, right), key -> new PairStats());
    }

    private static long pack(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** A queued pair with the count it had when queued. */
    private record Candidate(long count, int left, int right) {
        static Candidate of(long key, long count) {
            return new Candidate(count, (int) (key >>> 32), (int) key);
        }
    }

    /** A pair's corpus count and the words it occurs in (possibly listed twice, or stale). */
    private static final class PairStats {
        long count;
        int[] words = new int[2];
        int wordCount;

        void addWord(int word) {
            if (wordCount > 0 && words[wordCount - 1] == word) {
                return;
            }
            if (wordCount == words.length) {
                words = Arrays.copyOf(words, wordCount * 2);
            }
            words[wordCount++] = word;
        }
    }
}
