package io.flinksip.judge.panel;

import java.util.List;
import java.util.Set;

/**
 * The judgement of one candidate set.
 *
 * @param scores per candidate, in input order
 * @param verdicts compact per-call verdict records, e.g. {@code quality 0>2 #0 FIRST} (full replies are not kept)
 * @param verdictsByCandidate the same records, listed under every candidate a call involved
 * @param judgeIds the judges that answered
 * @param calls judge calls made
 * @param maxLatencyMillis the slowest call (the set's judging time when calls run concurrently)
 */
public record PanelResult(List<CandidateScores> scores, List<String> verdicts,
                          List<List<String>> verdictsByCandidate, Set<String> judgeIds, int calls,
                          long maxLatencyMillis) {
}
