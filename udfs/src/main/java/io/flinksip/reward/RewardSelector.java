package io.flinksip.reward;

import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.JudgedSet;
import io.flinksip.schema.Objective;
import io.flinksip.schema.TrainingExample;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Picks the training example of a judged candidate set (the reward stage's logic, without Flink).
 *
 * <p>Ties are broken by candidate order (original suffix, then rewrite, then rollouts by index): the chosen
 * candidate is the first of the top-scored ones and the rejected candidate the last of the bottom-scored ones, so
 * with equal scores the human text is preferred over a rollout. Candidates with no tokens cannot be trained on and
 * are left out. Empty when the set offers no usable preference.
 */
public final class RewardSelector {
    private final RewardConfig config;

    public RewardSelector(RewardConfig config) {
        this.config = config;
    }

    public Optional<TrainingExample> select(JudgedSet judged) {
        CandidateSet set = judged.getCandidateSet();
        List<Candidate> candidates = set.getCandidates();
        int best = -1;
        int worst = -1;
        int usable = 0;
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).getTokens().isEmpty()
                    || !config.trainOnSuffix() && candidates.get(i).getKind() == CandidateKind.SUFFIX) {
                continue;
            }
            usable++;
            double s = score(judged, i);
            if (best < 0 || s > score(judged, best)) {
                best = i;
            }
            if (worst < 0 || s <= score(judged, worst)) {
                worst = i;
            }
        }
        boolean dpo = config.objective() == Objective.DPO;
        if (best < 0 || dpo && (usable < 2 || best == worst
                || score(judged, best) - score(judged, worst) < config.minMargin())) {
            return Optional.empty();
        }
        TreeSet<String> judgeIds = new TreeSet<>();
        judged.getJudgements().forEach(j -> judgeIds.add(j.getJudgeId()));
        return Optional.of(TrainingExample.newBuilder()
                .setDocId(set.getSample().getDocId())
                .setSampleIndex(set.getSample().getSampleIndex())
                .setObjective(config.objective())
                .setPrefixTokens(set.getSample().getPrefixTokens())
                .setChosen(candidates.get(best))
                .setRejected(dpo ? candidates.get(worst) : null)
                .setChosenScore(score(judged, best))
                .setRejectedScore(dpo ? score(judged, worst) : null)
                .setPolicyVersion(set.getPolicyVersion())
                .setJudgeIds(new ArrayList<>(judgeIds))
                .setEventTimeMillis(set.getSample().getEventTimeMillis())
                .setShard(set.getSample().getShard())
                .setSeq(set.getSample().getSeq())
                .setWindow(set.getSample().getWindow())
                .build());
    }

    private static double score(JudgedSet judged, int candidate) {
        return judged.getJudgements().get(candidate).getScores().get("combined");
    }
}
