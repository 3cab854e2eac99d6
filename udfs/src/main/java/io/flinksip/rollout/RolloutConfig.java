package io.flinksip.rollout;

import io.flinksip.model.SamplingConfig;
import io.flinksip.model.WeightPrecision;
import io.flinksip.sync.StepWindows;
import io.flinksip.sync.SyncMode;
import io.flinksip.tokenizer.TokenizerBackend;

import java.io.Serializable;

/**
 * The rollout stage.
 *
 * @param rolloutsPerSample K, continuations sampled per prefix (the paper: 16 continual, 1 from scratch)
 * @param sampling sampling settings (the paper: T = 1, top-p = 1, N = suffix length tokens)
 * @param seed base of every rollout's seed, mixed with (doc id, sample index, policy version, rollout index)
 * @param microBatch samples generated together in one batched pass
 * @param flushIntervalMillis a partial micro-batch waits at most this long
 * @param weightStoreRoot where the learner publishes policy versions
 * @param weightsTimeoutMillis how long end of input may wait for the learner's first version before failing
 * @param tokenizerJson content of tokenizer.json, to decode rollouts for the judges
 * @param tokenizerBackend which implementation reads it
 * @param sync LATEST: the newest version (at least the samples' rollout version), micro-batches as samples arrive;
 *     STRICT: exactly the window's rollout version, once the window is complete, in micro-batches of its samples in
 *     position order (a row's numbers depend on its batch neighbours, so the batches must not depend on timing)
 * @param windows the step windows, to know when a window is complete
 * @param precision what the replica holds its weights in (the learner publishes float32; float16 converts on load)
 */
public record RolloutConfig(int rolloutsPerSample, SamplingConfig sampling, long seed, int microBatch,
                            long flushIntervalMillis, String weightStoreRoot, long weightsTimeoutMillis,
                            String tokenizerJson, TokenizerBackend tokenizerBackend, SyncMode sync,
                            StepWindows windows, WeightPrecision precision) implements Serializable {
    public RolloutConfig {
        if (rolloutsPerSample < 1 || microBatch < 1 || flushIntervalMillis < 1 || weightsTimeoutMillis < 1) {
            throw new IllegalArgumentException("rollouts, micro-batch, flush interval and timeout must be positive");
        }
        if (sync == null || windows == null || tokenizerBackend == null || precision == null) {
            throw new IllegalArgumentException("a weight sync mode, step windows, a tokenizer backend and a weight "
                    + "precision are needed");
        }
    }
}
