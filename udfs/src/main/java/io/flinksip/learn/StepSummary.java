package io.flinksip.learn;

import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.Objective;
import io.flinksip.schema.PolicyUpdate;
import io.flinksip.schema.TrainingExample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@link PolicyUpdate} of one step window from what the learner did with it. */
final class StepSummary {
    private StepSummary() {
    }

    /**
     * @param version the version the step produced (= the step number)
     * @param batch the examples trained on, in training order (may be empty)
     * @param result the optimizer step, or null when nothing was trained
     * @param deadLettered samples of the window dead-lettered instead of trained, stale ones included
     * @param stale of those, the ones dead-lettered as stale
     * @param totals dead letters of the lineage by reason, up to and including this window
     * @param skipped positions of the window no sample took ("shard/from-to")
     */
    static PolicyUpdate of(Objective objective, long version, long optimizerSteps, List<TrainingExample> batch,
                           StepResult result, long millis, long deadLettered, long stale, Map<String, Long> totals,
                           List<String> skipped) {
        Map<String, Long> kinds = new HashMap<>();
        double sum = 0;
        double sumSq = 0;
        long rollouts = 0;
        long eventTime = Long.MIN_VALUE;
        long maxStaleness = 0;
        List<String> trained = new ArrayList<>(batch.size());
        List<String> positions = new ArrayList<>(batch.size());
        for (TrainingExample e : batch) {
            Candidate c = e.getChosen();
            kinds.merge(c.getKind().name(), 1L, Long::sum);
            if (c.getKind() == CandidateKind.ROLLOUT) {
                rollouts++;
            }
            sum += e.getChosenScore();
            sumSq += e.getChosenScore() * e.getChosenScore();
            eventTime = Math.max(eventTime, e.getEventTimeMillis());
            if (e.getPolicyVersion() >= 0) {
                maxStaleness = Math.max(maxStaleness, version - 1 - e.getPolicyVersion());
            }
            trained.add(e.getDocId() + "#" + e.getSampleIndex());
            positions.add(e.getShard() + "/" + e.getSeq());
        }
        int n = batch.size();
        boolean sip = objective != Objective.NTP && n > 0;
        double mean = n == 0 ? 0 : sum / n;
        return PolicyUpdate.newBuilder()
                .setStep(version)
                .setVersion(version)
                .setObjective(objective)
                .setLoss(result == null ? 0 : result.loss())
                .setMeanReward(sip ? mean : null)
                .setRewardStd(sip ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : null)
                .setRolloutChosenRate(sip ? rollouts / (double) n : null)
                .setChosenKindCounts(kinds)
                .setExamples(n)
                .setTokens(result == null ? 0 : result.tokens())
                .setDroppedStale(stale)
                .setDeadLettered(deadLettered)
                .setLearningRate(result == null ? 0 : result.learningRate())
                .setGradNorm(result == null ? 0 : result.gradNorm())
                .setWallTimeMillis(millis)
                .setEventTimeMillis(eventTime == Long.MIN_VALUE ? 0 : eventTime)
                .setTrainedSamples(trained)
                .setTrainedPositions(positions)
                .setSkippedPositions(new ArrayList<>(skipped))
                .setMaxStaleness(maxStaleness)
                .setOptimizerSteps(optimizerSteps)
                .setDeadLetteredTotal(new HashMap<>(totals))
                .build();
    }
}
