package io.flinksip.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinksip.job.RunAccounting;

import java.util.List;
import java.util.Map;

/**
 * One repetition of the comparison: the stream in one order, rollouts and splits from one seed.
 *
 * @param seed the repetition's seed
 * @param evaluations every row (Base included) on the held-out prefixes
 * @param againstBase each trained policy against Base
 * @param againstNtp each SIP policy against NTP
 * @param updates each run's policy updates, in step order
 * @param accounting each run's account of its input
 */
record SeedResult(long seed, Map<String, PolicyEvaluation> evaluations, Map<String, PolicyComparison> againstBase,
                  Map<String, PolicyComparison> againstNtp, Map<String, List<JsonNode>> updates,
                  Map<String, RunAccounting> accounting) {

    /** Rollout chosen rate by quarter of the run's steps (examples-weighted), or an empty list without rollouts. */
    static double[] quarters(List<JsonNode> updates) {
        double[] chosen = new double[4];
        double[] examples = new double[4];
        int n = updates.size();
        for (int i = 0; i < n; i++) {
            JsonNode u = updates.get(i);
            if (u.path("rolloutChosenRate").isNull() || u.path("rolloutChosenRate").isMissingNode()) {
                return new double[0];
            }
            int q = Math.min(3, 4 * i / Math.max(1, n));
            double e = u.path("examples").asDouble();
            chosen[q] += u.path("rolloutChosenRate").asDouble() * e;
            examples[q] += e;
        }
        double[] out = new double[4];
        for (int q = 0; q < 4; q++) {
            out[q] = examples[q] == 0 ? Double.NaN : chosen[q] / examples[q];
        }
        return out;
    }
}
