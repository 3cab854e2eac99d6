package io.flinksip.reward;

import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.JudgedSet;
import io.flinksip.schema.Judgement;
import io.flinksip.schema.Objective;
import io.flinksip.schema.Sample;
import io.flinksip.schema.TrainingExample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardSelectorTest {
    private static final CandidateKind[] KINDS = {CandidateKind.SUFFIX, CandidateKind.REWRITE, CandidateKind.ROLLOUT,
        CandidateKind.ROLLOUT};

    /** Candidates in the fixed order suffix, rewrite, rollout 1, rollout 2 with the given combined scores. */
    static JudgedSet judged(double... scores) {
        List<Candidate> candidates = new ArrayList<>();
        List<Judgement> judgements = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            candidates.add(Candidate.newBuilder().setDocId("d").setSampleIndex(0).setKind(KINDS[i])
                    .setTokens(i == 3 && Double.isNaN(scores[i]) ? List.of() : List.of(i + 1)).setText("c" + i)
                    .setPolicyVersion(KINDS[i] == CandidateKind.ROLLOUT ? 7 : -1).build());
            judgements.add(Judgement.newBuilder().setDocId("d").setSampleIndex(0).setCandidateIndex(i)
                    .setScores(Map.of("combined", Double.isNaN(scores[i]) ? 0.0 : scores[i])).setJudgeId("j")
                    .setLatencyMillis(0).build());
        }
        Sample sample = Sample.newBuilder().setDocId("d").setSampleIndex(0).setShard(0).setPrefixTokens(List.of(9))
                .setSuffixTokens(List.of(1)).setEventTimeMillis(5).setSplitSeed(0).build();
        return JudgedSet.newBuilder().setCandidateSet(CandidateSet.newBuilder().setSample(sample).setPrefixText("p")
                .setCandidates(candidates).setPolicyVersion(7).build()).setJudgements(judgements).build();
    }

    private static TrainingExample dpo(boolean trainOnSuffix, double... scores) {
        return new RewardSelector(new RewardConfig(Objective.DPO, 1e-9, trainOnSuffix)).select(judged(scores))
                .orElseThrow();
    }

    @Test
    void chosenIsTopRejectedIsBottom() {
        TrainingExample e = dpo(true, 1.0, 2.5, 0.2, 1.5);
        assertEquals(CandidateKind.REWRITE, e.getChosen().getKind());
        assertEquals("c2", e.getRejected().getText());
        assertEquals(2.5, e.getChosenScore());
        assertEquals(0.2, e.getRejectedScore());
        assertEquals(7, e.getPolicyVersion());
    }

    @Test
    void tiesPreferEarlierCandidatesForChosenAndLaterForRejected() {
        TrainingExample e = dpo(true, 2.0, 2.0, 1.0, 1.0);
        assertEquals(CandidateKind.SUFFIX, e.getChosen().getKind(), "human text wins a tie");
        assertEquals("c3", e.getRejected().getText(), "the last of the bottom-scored is rejected");
    }

    @Test
    void withoutTheSuffixPairsComeFromRewriteAndRollouts() {
        TrainingExample e = dpo(false, 3.0, 1.0, 2.0, 0.5);
        assertEquals("c2", e.getChosen().getText());
        assertEquals("c3", e.getRejected().getText());
    }

    @Test
    void noPreferenceWhenAllUsableCandidatesTie() {
        RewardSelector dpo = new RewardSelector(new RewardConfig(Objective.DPO, 1e-9, true));
        assertTrue(dpo.select(judged(1.0, 1.0, 1.0, 1.0)).isEmpty());
        RewardSelector rfNll = new RewardSelector(new RewardConfig(Objective.RF_NLL, 1e-9, true));
        Optional<TrainingExample> best = rfNll.select(judged(1.0, 1.0, 1.0, 1.0));
        assertEquals(CandidateKind.SUFFIX, best.orElseThrow().getChosen().getKind(), "RF-NLL needs only a best");
        assertEquals(null, best.get().getRejected());
    }

    @Test
    void emptyContinuationsAreNeverChosen() {
        TrainingExample e = dpo(true, 1.0, 0.5, 0.7, Double.NaN);
        assertEquals(CandidateKind.SUFFIX, e.getChosen().getKind());
        assertEquals(CandidateKind.REWRITE, e.getRejected().getKind(), "the empty rollout is left out");
    }
}
