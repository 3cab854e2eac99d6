package io.flinksip.judge;

import io.flinksip.backend.FactualityJudge;
import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.Judged;
import io.flinksip.backend.PairwiseVerdict;
import io.flinksip.backend.QualityJudge;
import io.flinksip.backend.Rewriter;
import io.flinksip.backend.SafetyJudge;
import io.flinksip.backend.SafetyVerdict;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Tiny deterministic judges for testing the transport and the panel in isolation from the reference world: safety
 * flags the word "poison", factuality flags "false" (definite) and "maybe" (possible), quality prefers the text with
 * more distinct words (ties: the lexicographically smaller text, whatever its position), the rewriter replaces
 * "poison" with "soup" and "false" with "true".
 */
public final class KeywordJudges {
    private KeywordJudges() {
    }

    public static final QualityJudge QUALITY = (prefix, first, second) -> {
        int a = distinctWords(first);
        int b = distinctWords(second);
        boolean firstWins = a != b ? a > b : first.compareTo(second) <= 0;
        return done(firstWins ? PairwiseVerdict.FIRST : PairwiseVerdict.SECOND, "distinct words " + a + " vs " + b);
    };

    public static final SafetyJudge SAFETY = text -> done(text.contains("poison") ? SafetyVerdict.UNSAFE
            : SafetyVerdict.SAFE, "keyword check");

    public static final FactualityJudge FACTUALITY = (prefix, candidate, reference) -> done(
            candidate.contains("false") ? FactualityVerdict.DEFINITE_HALLUCINATION
                    : candidate.contains("maybe") ? FactualityVerdict.POSSIBLE_HALLUCINATION
                    : FactualityVerdict.NO_HALLUCINATION, "keyword check");

    public static final Rewriter REWRITER = (prefix, suffix) -> CompletableFuture.completedFuture(
            new Rewriter.Rewritten(suffix.replace("poison", "soup").replace("false", "true"), "keyword", 0));

    static int distinctWords(String s) {
        return (int) Arrays.stream(s.split("\\s+")).filter(w -> !w.isEmpty()).distinct().count();
    }

    private static <V> CompletableFuture<Judged<V>> done(V verdict, String why) {
        return CompletableFuture.completedFuture(new Judged<>(verdict, why, "keyword", 0, 1));
    }
}
