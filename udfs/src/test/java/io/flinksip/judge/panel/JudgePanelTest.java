package io.flinksip.judge.panel;

import io.flinksip.backend.JudgeException;
import io.flinksip.backend.Judged;
import io.flinksip.backend.PairwiseVerdict;
import io.flinksip.backend.QualityJudge;
import io.flinksip.judge.KeywordJudges;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JudgePanelTest {
    /** Distinct-word counts 1, 2, 3, 4: the keyword quality judge ranks them 3 > 2 > 1 > 0. */
    private static final List<String> CANDIDATES = List.of("one", "one two", "one two three", "one two three four");

    private static JudgePanel panel(PanelConfig cfg, QualityJudge quality) {
        return new JudgePanel(cfg, quality, KeywordJudges.SAFETY, KeywordJudges.FACTUALITY);
    }

    @Test
    void allPairsWinRatesByHand() {
        PanelConfig cfg = new PanelConfig(PanelConfig.QualityMode.ALL_PAIRS, false, 1, 1, 1, 1, 0, 0);
        PanelResult r = panel(cfg, KeywordJudges.QUALITY).score("p", CANDIDATES, 0).join();
        // Each candidate meets 3 others: wins 0, 1, 2, 3.
        double[] expected = {0, 1 / 3.0, 2 / 3.0, 1};
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], r.scores().get(i).quality(), 1e-12);
            assertEquals(expected[i], r.scores().get(i).combined(), 1e-12);
            assertTrue(Double.isNaN(r.scores().get(i).safety()));
        }
        assertEquals(6, r.calls());
        assertEquals(cfg.callsFor(4), r.calls());
    }

    @Test
    void bothOrdersCancelAPositionBiasedJudge() {
        QualityJudge alwaysFirst = (p, a, b) -> CompletableFuture.completedFuture(
                new Judged<>(PairwiseVerdict.FIRST, "", "biased", 0, 1));
        PanelConfig oneOrder = new PanelConfig(PanelConfig.QualityMode.ALL_PAIRS, false, 1, 1, 1, 1, 0, 0);
        PanelResult biased = panel(oneOrder, alwaysFirst).score("p", CANDIDATES, 0).join();
        assertEquals(1.0, biased.scores().get(0).quality(), "order alone decides");
        PanelConfig both = new PanelConfig(PanelConfig.QualityMode.ALL_PAIRS, true, 1, 1, 1, 1, 0, 0);
        PanelResult fair = panel(both, alwaysFirst).score("p", CANDIDATES, 0).join();
        for (CandidateScores s : fair.scores()) {
            assertEquals(0.5, s.quality(), 1e-12);
        }
        assertEquals(12, fair.calls());
    }

    @Test
    void pivotComparesOnlyAgainstTheReference() {
        PanelConfig cfg = new PanelConfig(PanelConfig.QualityMode.PIVOT, false, 1, 1, 1, 1, 0, 0);
        PanelResult r = panel(cfg, KeywordJudges.QUALITY).score("p", CANDIDATES, 1).join();
        assertEquals(3, r.calls());
        assertEquals(0.0, r.scores().get(0).quality());
        assertEquals(1.0, r.scores().get(2).quality());
        assertEquals(1.0, r.scores().get(3).quality());
        assertEquals(1 / 3.0, r.scores().get(1).quality(), 1e-12, "the pivot beat one of three");
    }

    @Test
    void repeatsAverageAStochasticJudge() {
        // Prefers the first shown in even samples, the second in odd ones: two repeats give a tie.
        QualityJudge alternating = new QualityJudge() {
            @Override
            public CompletableFuture<Judged<PairwiseVerdict>> compare(String p, String a, String b) {
                return compare(p, a, b, 0);
            }

            @Override
            public CompletableFuture<Judged<PairwiseVerdict>> compare(String p, String a, String b, int sample) {
                return CompletableFuture.completedFuture(new Judged<>(sample % 2 == 0 ? PairwiseVerdict.FIRST
                        : PairwiseVerdict.SECOND, "", "alt", 0, 1));
            }
        };
        PanelConfig cfg = new PanelConfig(PanelConfig.QualityMode.ALL_PAIRS, false, 2, 1, 1, 1, 0, 0);
        PanelResult r = panel(cfg, alternating).score("p", CANDIDATES.subList(0, 2), 0).join();
        assertEquals(0.5, r.scores().get(0).quality());
        assertEquals(2, r.calls());
    }

    @Test
    void criteriaCombineByWeights() {
        List<String> cands = List.of("the suffix text", "poison everyone now please", "maybe false claim here ok");
        PanelConfig cfg = new PanelConfig(PanelConfig.QualityMode.ALL_PAIRS, false, 1, 1, 1, 1.0, 2.0, 0.5);
        PanelResult r = panel(cfg, KeywordJudges.QUALITY).score("p", cands, 0).join();
        CandidateScores unsafe = r.scores().get(1);
        assertEquals(0.0, unsafe.safety());
        assertEquals(1.0, unsafe.factuality());
        assertEquals(0.0, r.scores().get(2).factuality(), "'false' outranks 'maybe': definite");
        for (CandidateScores s : r.scores()) {
            assertEquals(s.quality() + 2 * s.safety() + 0.5 * s.factuality(), s.combined(), 1e-12);
        }
        assertEquals(cfg.callsFor(3), r.calls());
        assertEquals(r.calls(), r.verdicts().size());
    }

    @Test
    void identicalCandidatesTieWithoutACall() {
        AtomicInteger calls = new AtomicInteger();
        QualityJudge counting = (p, a, b) -> {
            calls.incrementAndGet();
            return KeywordJudges.QUALITY.compare(p, a, b);
        };
        PanelConfig cfg = new PanelConfig(PanelConfig.QualityMode.ALL_PAIRS, false, 1, 1, 1, 1, 0, 0);
        PanelResult r = panel(cfg, counting).score("p", List.of("same text", "same text", "x"), 0).join();
        assertEquals(2, calls.get());
        assertEquals(r.scores().get(0).quality(), r.scores().get(1).quality());
        assertEquals(0.75, r.scores().get(0).quality(), 1e-12, "half a win against its twin, a win against 'x'");
    }

    @Test
    void anyFinalFailureFailsTheWholeSet() {
        QualityJudge failing = (p, a, b) -> CompletableFuture.failedFuture(
                new JudgeException(JudgeException.Reason.TIMEOUT, "slow"));
        CompletableFuture<PanelResult> f = panel(PanelConfig.defaults(), failing).score("p", CANDIDATES, 0);
        CompletionException e = assertThrows(CompletionException.class, f::join);
        assertEquals(JudgeException.Reason.TIMEOUT, assertInstanceOf(JudgeException.class, e.getCause()).reason());
    }

    @Test
    void rejectsInconsistentConfiguration() {
        assertThrows(IllegalArgumentException.class,
                () -> new PanelConfig(PanelConfig.QualityMode.OFF, false, 1, 1, 1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new PanelConfig(PanelConfig.QualityMode.ALL_PAIRS, false, 0, 1, 1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new JudgePanel(PanelConfig.defaults(), KeywordJudges.QUALITY, null, KeywordJudges.FACTUALITY));
        assertThrows(IllegalArgumentException.class,
                () -> panel(PanelConfig.defaults(), KeywordJudges.QUALITY).score("p", List.of("only"), 0));
        assertThrows(IllegalArgumentException.class,
                () -> panel(PanelConfig.defaults(), KeywordJudges.QUALITY).score("p", CANDIDATES, 4));
        assertEquals(17L * 16 / 2 + 17 + 17, PanelConfig.defaults().callsFor(17));
    }
}
