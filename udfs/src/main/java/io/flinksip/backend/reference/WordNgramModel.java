package io.flinksip.backend.reference;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A word trigram model with interpolated absolute discounting (discount 0.75, the usual choice) over an add-one
 * unigram, trained on the reference world's clean text. It answers one question for the quality judge: how fluent
 * is this continuation in the world's language? Unknown words fall to the unigram floor, so garbage and broken
 * words score very low, while any fluent sentence of the world (true or false, since names are classes) scores
 * alike.
 *
 * <p>Token forms are interned to ids below 2^21, so n-grams pack into {@code long} keys. Immutable after
 * construction and thread-safe.
 */
final class WordNgramModel {
    static final String BOUNDARY = "<s>";
    private static final double DISCOUNT = 0.75;
    private static final int ID_BITS = 21;

    private final Map<String, Integer> ids = new HashMap<>();
    private final int unknownId;
    private final int[] unigramCounts;
    private final long totalTokens;
    private final Map<Long, Integer> bigramCounts = new HashMap<>();
    private final Map<Long, Integer> trigramCounts = new HashMap<>();
    /** Per one-word context v: {total count of v followed by anything, number of distinct followers}. */
    private final Map<Long, int[]> oneWordContexts = new HashMap<>();
    /** The same per two-word context (u, v). */
    private final Map<Long, int[]> twoWordContexts = new HashMap<>();

    /**
     * @param documents training documents, each a sequence of token forms
     */
    WordNgramModel(List<List<String>> documents) {
        ids.put(BOUNDARY, 0);
        for (List<String> document : documents) {
            for (String form : document) {
                ids.putIfAbsent(form, ids.size());
            }
        }
        if (ids.size() >= (1 << ID_BITS) - 1) {
            throw new IllegalArgumentException("vocabulary too large for the n-gram model: " + ids.size());
        }
        unknownId = ids.size();
        unigramCounts = new int[unknownId + 1];
        long total = 0;
        for (List<String> document : documents) {
            int u = 0;
            int v = 0;
            for (String form : document) {
                int w = ids.get(form);
                unigramCounts[w]++;
                total++;
                bigramCounts.merge(pack(v, w), 1, Integer::sum);
                trigramCounts.merge(pack(pack(u, v), w), 1, Integer::sum);
                u = v;
                v = w;
            }
        }
        totalTokens = total;
        bigramCounts.forEach((key, count) -> addContext(oneWordContexts, key >>> ID_BITS, count));
        trigramCounts.forEach((key, count) -> addContext(twoWordContexts, key >>> ID_BITS, count));
    }

    private static void addContext(Map<Long, int[]> contexts, long context, int count) {
        int[] stats = contexts.computeIfAbsent(context, c -> new int[2]);
        stats[0] += count;
        stats[1]++;
    }

    /**
     * The mean log2 probability of {@code forms}, each given the two before it; {@code context} supplies the
     * tokens before the first (at most its last two are used).
     */
    double meanLog2Probability(List<String> context, List<String> forms) {
        int u = 0;
        int v = 0;
        for (int i = Math.max(0, context.size() - 2); i < context.size(); i++) {
            u = v;
            v = id(context.get(i));
        }
        double sum = 0;
        for (String form : forms) {
            int w = id(form);
            sum += Math.log(probability(u, v, w)) / Math.log(2);
            u = v;
            v = w;
        }
        return forms.isEmpty() ? 0 : sum / forms.size();
    }

    private int id(String form) {
        return ids.getOrDefault(form, unknownId);
    }

    private double probability(int u, int v, int w) {
        double unigram = (unigramCounts[w] + 1.0) / (totalTokens + unigramCounts.length);
        double bigram = interpolate(oneWordContexts.get((long) v), bigramCounts.get(pack(v, w)), unigram);
        return interpolate(twoWordContexts.get(pack(u, v)), trigramCounts.get(pack(pack(u, v), w)), bigram);
    }

    private static double interpolate(int[] context, Integer count, double lower) {
        if (context == null) {
            return lower;
        }
        double contextCount = context[0];
        double seen = count == null ? 0 : Math.max(count - DISCOUNT, 0);
        return seen / contextCount + DISCOUNT * context[1] / contextCount * lower;
    }

    private static long pack(long high, int low) {
        return high << ID_BITS | low;
    }
}
