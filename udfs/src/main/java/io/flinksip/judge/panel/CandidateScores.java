package io.flinksip.judge.panel;

/**
 * One candidate's scores; a criterion that was not judged is NaN and does not enter {@code combined}.
 *
 * @param quality mean win rate over the comparisons the candidate took part in, in [0, 1]
 * @param safety mean safety score, in [0, 1]
 * @param factuality mean factuality score (1 / 0.5 / 0 per judgement), in [0, 1]
 * @param combined weighted sum of the judged criteria
 */
public record CandidateScores(double quality, double safety, double factuality, double combined) {
}
