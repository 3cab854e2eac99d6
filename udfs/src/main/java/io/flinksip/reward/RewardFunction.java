package io.flinksip.reward;

import io.flinksip.deadletter.DeadLetters;
import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.JudgedSet;
import io.flinksip.schema.TrainingExample;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The reward stage: turns a judged candidate set into a training example and records which kind of candidate won.
 *
 * <p>Ties are broken deterministically by candidate order (original suffix, then rewrite, then rollouts by index):
 * the chosen candidate is the first of the top-scored ones and the rejected candidate the last of the bottom-scored
 * ones, so with equal scores the human text is preferred over a rollout. Candidates with no tokens cannot be trained
 * on and are left out. A set without a usable pair (fewer than two candidates with tokens, or all scores within
 * {@code minMargin}) is dead-lettered as {@code no_preference}, a counted drop.
 */
public final class RewardFunction extends ProcessFunction<JudgedSet, TrainingExample> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "reward";

    private final RewardConfig config;

    private transient Counter examples;
    private transient Map<String, Counter> chosenKinds;
    private transient MetricGroup chosenGroup;
    private transient Counter noPreference;

    public RewardFunction(RewardConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup();
        examples = group.counter("examples");
        noPreference = group.counter("noPreference");
        chosenGroup = group.addGroup("chosenKind");
        chosenKinds = new HashMap<>();
    }

    @Override
    public void processElement(JudgedSet judged, Context ctx, Collector<TrainingExample> out) {
        CandidateSet set = judged.getCandidateSet();
        List<Candidate> candidates = set.getCandidates();
        List<Integer> usable = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (!candidates.get(i).getTokens().isEmpty()) {
                usable.add(i);
            }
        }
        int best = -1;
        int worst = -1;
        for (int i : usable) {
            double s = score(judged, i);
            if (best < 0 || s > score(judged, best)) {
                best = i;
            }
            if (worst < 0 || s <= score(judged, worst)) {
                worst = i;
            }
        }
        boolean dpo = config.objective() == io.flinksip.schema.Objective.DPO;
        if (best < 0 || dpo && (best == worst || score(judged, best) - score(judged, worst) < config.minMargin()
                || usable.size() < 2)) {
            noPreference.inc();
            ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, "no_preference",
                    "no pair of candidates with different scores", set.getSample().getDocId(),
                    set.getSample().getSampleIndex(), null));
            return;
        }
        Candidate chosen = candidates.get(best);
        chosenKinds.computeIfAbsent(chosen.getKind().name(), chosenGroup::counter).inc();
        examples.inc();
        TreeSet<String> judgeIds = new TreeSet<>();
        judged.getJudgements().forEach(j -> judgeIds.add(j.getJudgeId()));
        out.collect(TrainingExample.newBuilder()
                .setDocId(set.getSample().getDocId())
                .setSampleIndex(set.getSample().getSampleIndex())
                .setObjective(config.objective())
                .setPrefixTokens(set.getSample().getPrefixTokens())
                .setChosen(chosen)
                .setRejected(dpo ? candidates.get(worst) : null)
                .setChosenScore(score(judged, best))
                .setRejectedScore(dpo ? score(judged, worst) : null)
                .setPolicyVersion(set.getPolicyVersion())
                .setJudgeIds(new ArrayList<>(judgeIds))
                .setEventTimeMillis(set.getSample().getEventTimeMillis())
                .build());
    }

    private static double score(JudgedSet judged, int candidate) {
        return judged.getJudgements().get(candidate).getScores().get("combined");
    }
}
