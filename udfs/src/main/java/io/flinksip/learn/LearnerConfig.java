package io.flinksip.learn;

import io.flinksip.model.LlamaConfig;
import io.flinksip.schema.Objective;
import io.flinksip.sync.StepWindows;

import java.io.Serializable;

/**
 * Everything the learner operator needs, serialisable into the job graph.
 *
 * @param objective DPO or RF_NLL (self-improving pretraining) or NTP (the next-token baseline)
 * @param windows which samples form a step (the global batch: {@code windows.size()} samples)
 * @param maxStaleness bound on (step version − rollout version); flow control keeps examples within it, and one
 *     beyond it (only possible with state from elsewhere) is dead-lettered as {@code stale}
 * @param model shape of a freshly initialised policy (ignored when {@code initialCheckpoint} is set)
 * @param initSeed seed of the fresh initialisation
 * @param initialCheckpoint Hugging Face checkpoint directory to start from (continual pretraining), or null
 * @param trainer optimizer and DPO settings
 * @param publishing where versions are published for the rollout operators, and how many are kept
 * @param exporting the Hugging Face exports
 * @param stateChunkBytes size of the chunks the learner state is stored in
 * @param verdictLogRoot strict mode's verdict log, whose answers the learner forgets once their step is in a
 *     completed checkpoint; null without one
 * @param stateByReference whether checkpoints reference the learner's arrays in files ({@link LearnerStateFiles})
 *     instead of holding them (savepoints always hold them: they must stand alone)
 * @param retainedCheckpoints how many completed checkpoints Flink keeps, whose state files must be kept too
 */
public record LearnerConfig(
        Objective objective,
        StepWindows windows,
        int maxStaleness,
        LlamaConfig model,
        long initSeed,
        String initialCheckpoint,
        TrainerConfig trainer,
        Publishing publishing,
        Exporting exporting,
        int stateChunkBytes,
        String verdictLogRoot,
        boolean stateByReference,
        int retainedCheckpoints) implements Serializable {

    public LearnerConfig {
        if (windows == null || maxStaleness < 0 || publishing == null || exporting == null) {
            throw new IllegalArgumentException("need step windows, maxStaleness >= 0, publishing and exporting");
        }
        if (objective == Objective.DPO && trainer.dpo() == null) {
            throw new IllegalArgumentException("the DPO objective needs DPO settings");
        }
        if (retainedCheckpoints < 1) {
            throw new IllegalArgumentException("retainedCheckpoints must be at least 1: " + retainedCheckpoints);
        }
    }

    /** State by reference, one retained checkpoint (Flink's default). */
    public LearnerConfig(Objective objective, StepWindows windows, int maxStaleness, LlamaConfig model, long initSeed,
                         String initialCheckpoint, TrainerConfig trainer, Publishing publishing, Exporting exporting,
                         int stateChunkBytes, String verdictLogRoot) {
        this(objective, windows, maxStaleness, model, initSeed, initialCheckpoint, trainer, publishing, exporting,
                stateChunkBytes, verdictLogRoot, true, 1);
    }
}
