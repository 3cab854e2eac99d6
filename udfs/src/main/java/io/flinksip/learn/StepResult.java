package io.flinksip.learn;

/**
 * What one optimizer step did.
 *
 * @param step 1-based count of steps taken so far (equals the new policy version)
 * @param loss objective value before the update
 * @param gradNorm global gradient norm before clipping
 * @param learningRate rate used for this step
 * @param tokens number of target tokens the loss covered
 * @param preferenceAccuracy DPO only: share of pairs whose implicit reward ranks chosen above rejected; NaN otherwise
 * @param rewardMargin DPO only: mean β·(log-ratio chosen − log-ratio rejected); NaN otherwise
 */
public record StepResult(long step, double loss, double gradNorm, double learningRate, int tokens,
                         double preferenceAccuracy, double rewardMargin) {
}
