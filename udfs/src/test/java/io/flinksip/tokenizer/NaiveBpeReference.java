package io.flinksip.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The textbook BPE training loop, recounting every pair over the whole corpus for each merge: far
 * too slow for real use, but simple enough to trust as a reference for {@link
 * ByteLevelBpeTrainer}'s incremental bookkeeping. Same id layout and tie-break as the trainer.
 */
final class NaiveBpeReference {

    private NaiveBpeReference() {}

    /** Returns the merges, as {@code "left right"}, for a vocabulary of {@code vocabSize}. */
    static List<String> merges(Iterable<String> texts, int vocabSize, int specialTokenCount) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < specialTokenCount; i++) {
            tokens.add("<special " + i + ">");
        }
        Map<Character, Integer> idBySymbol = new HashMap<>();
        for (char symbol : ByteLevelAlphabet.symbolsInCodePointOrder()) {
            idBySymbol.put(symbol, tokens.size());
            tokens.add(String.valueOf(symbol));
        }
        Map<String, Long> frequencies = new HashMap<>();
        for (String text : texts) {
            ByteLevelPreTokenizer.forEachPiece(
                    text, piece -> frequencies.merge(piece, 1L, Long::sum));
        }
        List<List<Integer>> words = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        frequencies.forEach(
                (piece, count) -> {
                    String symbols =
                            ByteLevelAlphabet.toSymbols(piece.getBytes(StandardCharsets.UTF_8));
                    List<Integer> word = new ArrayList<>();
                    symbols.chars().forEach(c -> word.add(idBySymbol.get((char) c)));
                    words.add(word);
                    counts.add(count);
                });

        List<String> merges = new ArrayList<>();
        int distinctTokens = tokens.size();
        while (distinctTokens < vocabSize) {
            Map<List<Integer>, Long> pairCounts = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<Integer> word = words.get(w);
                for (int i = 0; i + 1 < word.size(); i++) {
                    pairCounts.merge(
                            List.of(word.get(i), word.get(i + 1)), counts.get(w), Long::sum);
                }
            }
            List<Integer> best = null;
            long bestCount = 0;
            for (Map.Entry<List<Integer>, Long> entry : pairCounts.entrySet()) {
                List<Integer> pair = entry.getKey();
                long count = entry.getValue();
                if (count > bestCount
                        || (count == bestCount
                                && (pair.get(0) < best.get(0)
                                        || (pair.get(0).equals(best.get(0))
                                                && pair.get(1) < best.get(1))))) {
                    best = pair;
                    bestCount = count;
                }
            }
            if (best == null) {
                break;
            }
            String merged = tokens.get(best.get(0)) + tokens.get(best.get(1));
            int mergedId = tokens.indexOf(merged);
            if (mergedId < 0) {
                mergedId = tokens.size();
                tokens.add(merged);
                distinctTokens++;
            }
            merges.add(tokens.get(best.get(0)) + " " + tokens.get(best.get(1)));
            for (List<Integer> word : words) {
                for (int i = 0; i + 1 < word.size(); i++) {
                    if (word.get(i).equals(best.get(0)) && word.get(i + 1).equals(best.get(1))) {
                        word.set(i, mergedId);
                        word.remove(i + 1);
                    }
                }
            }
        }
        return merges;
    }
}
