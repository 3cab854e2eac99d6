package io.flinksip.learn;

import io.flinksip.model.LlamaConfig;

import java.util.List;

/**
 * The learner's whole state: model shape, weights, optimizer moments, step, RNG and the DPO reference policy.
 * Arrays are in {@link io.flinksip.model.LlamaModel#parameterShapes} order and are not copied.
 *
 * @param referenceWeights weights of the DPO reference policy; null when the trainer keeps none
 * @param referenceSyncedAtStep step at which the reference was last set
 */
public record TrainerState(
        LlamaConfig modelConfig,
        long step,
        long rngState,
        List<String> parameterNames,
        float[][] parameters,
        float[][] firstMoments,
        float[][] secondMoments,
        float[][] referenceWeights,
        long referenceSyncedAtStep) {

    public TrainerState {
        int n = parameterNames.size();
        if (parameters.length != n || firstMoments.length != n || secondMoments.length != n
                || (referenceWeights != null && referenceWeights.length != n)) {
            throw new IllegalArgumentException("every array list needs one entry per parameter");
        }
    }
}
