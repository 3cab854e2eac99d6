package io.flinksip.learn;

import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.SequenceScorer;
import io.flinksip.model.TestModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyTrainerTest {
    private static final LlamaConfig CONFIG = TestModels.small();

    @Test
    void overfitsAFewHundredTokensToNearZeroLoss() {
        List<int[]> data = TrainerFixtures.sequences(1, 4, 80, CONFIG); // 316 predicted tokens
        TrainerConfig cfg = new TrainerConfig(
                new OptimizerConfig(1e-2, 10, 400, 0.1, 0.9, 0.99, 1e-8, 0.0, 1.0), null);
        double first = Double.NaN;
        double last = Double.NaN;
        try (PolicyTrainer trainer = PolicyTrainer.create(CONFIG, LlamaModel.initialWeights(CONFIG, 1), cfg, 1)) {
            for (int i = 0; i < 250 && !(last < 0.02); i++) {
                StepResult r = trainer.trainNextToken(data);
                if (i == 0) {
                    first = r.loss();
                    assertEquals(316, r.tokens());
                }
                last = r.loss();
            }
        }
        assertTrue(first > 3.5, "initial loss near ln(64): " + first);
        assertTrue(last < 0.05, "loss after training: " + last);
    }

    @Test
    void suffixOnlyLossIgnoresPrefixTokens() {
        List<int[]> prefixes = TrainerFixtures.sequences(2, 3, 10, CONFIG);
        List<int[]> suffixes = TrainerFixtures.sequences(3, 3, 4, CONFIG);
        try (PolicyTrainer trainer = PolicyTrainer.create(CONFIG, LlamaModel.initialWeights(CONFIG, 2),
                TrainerFixtures.config(1e-3, 10), 1)) {
            double[] before = new SequenceScorer(trainer.policy()).score(prefixes, suffixes);
            StepResult r = trainer.trainOnContinuations(prefixes, suffixes);
            assertEquals(12, r.tokens());
            double expected = 0;
            for (double s : before) {
                expected -= s;
            }
            assertEquals(expected / 12, r.loss(), 1e-4, "loss is the token mean NLL of the suffixes");
        }
    }

    @Test
    void dpoReachesFullPreferenceAccuracyAndLeavesTheFrozenReferenceUntouched() {
        List<PreferencePair> pairs = TrainerFixtures.pairs(5, 12, CONFIG);
        LinkedHashMap<String, float[]> initial = LlamaModel.initialWeights(CONFIG, 5);
        TrainerConfig cfg = new TrainerConfig(OptimizerConfig.defaults(3e-3, 2, 200), DpoConfig.defaults());
        try (PolicyTrainer trainer = PolicyTrainer.create(CONFIG, initial, cfg, 5)) {
            StepResult first = trainer.trainDpo(pairs);
            assertEquals(Math.log(2), first.loss(), 1e-4, "policy == reference at step 0, so loss is log 2");
            StepResult r = first;
            for (int i = 0; i < 60 && r.preferenceAccuracy() < 1.0; i++) {
                r = trainer.trainDpo(pairs);
            }
            assertTrue(r.loss() < first.loss());
            // Accuracy measured independently: implicit rewards under the final policy vs the reference.
            try (LlamaModel ref = LlamaModel.create(CONFIG, initial, false)) {
                double accuracy = implicitRewardAccuracy(trainer.policy(), ref, pairs);
                assertEquals(1.0, accuracy);
            }
            Map<String, float[]> reference = trainer.referenceWeights();
            for (Map.Entry<String, float[]> e : initial.entrySet()) {
                assertArrayEquals(e.getValue(), reference.get(e.getKey()), "reference changed: " + e.getKey());
            }
            assertFalse(java.util.Arrays.equals(initial.get("lm_head.weight"), trainer.weights().get("lm_head.weight")));
        }
    }

    @Test
    void syncedReferenceFollowsThePolicy() {
        List<PreferencePair> pairs = TrainerFixtures.pairs(6, 4, CONFIG);
        TrainerConfig cfg = new TrainerConfig(OptimizerConfig.defaults(1e-3, 1, 20),
                new DpoConfig(0.1, DpoConfig.Reference.SYNCED, 2, 0.0));
        try (PolicyTrainer trainer = PolicyTrainer.create(CONFIG, LlamaModel.initialWeights(CONFIG, 6), cfg, 6)) {
            trainer.trainDpo(pairs);
            trainer.trainDpo(pairs);
            Map<String, float[]> afterTwo = trainer.weights();
            trainer.trainDpo(pairs); // syncs to the weights after step 2, then trains step 3
            assertArrayEquals(afterTwo.get("lm_head.weight"), trainer.referenceWeights().get("lm_head.weight"));
        }
    }

    @Test
    void rejectsDpoWithoutDpoConfigAndEmptyInputs() {
        TrainerConfig noDpo = new TrainerConfig(OptimizerConfig.defaults(1e-3, 1, 10), null);
        try (PolicyTrainer trainer = PolicyTrainer.create(CONFIG, LlamaModel.initialWeights(CONFIG, 1), noDpo, 1)) {
            assertThrows(IllegalStateException.class, () -> trainer.trainDpo(TrainerFixtures.pairs(1, 2, CONFIG)));
            assertThrows(IllegalArgumentException.class, () -> trainer.trainNextToken(List.of()));
            assertEquals(0, trainer.step());
        }
    }

    @Test
    void warmupThenCosineSchedule() {
        OptimizerConfig o = new OptimizerConfig(1.0, 10, 110, 0.1, 0.9, 0.95, 1e-8, 0, 0);
        assertEquals(0.1, o.learningRate(0), 1e-12);
        assertEquals(1.0, o.learningRate(9), 1e-12);
        assertEquals(1.0, o.learningRate(10), 1e-12);
        assertEquals(0.55, o.learningRate(60), 1e-12);
        assertEquals(0.1, o.learningRate(110), 1e-12);
        assertEquals(0.1, o.learningRate(10_000), 1e-12);
    }

    private static double implicitRewardAccuracy(LlamaModel policy, LlamaModel ref, List<PreferencePair> pairs) {
        List<int[]> prefixes = new ArrayList<>();
        List<int[]> conts = new ArrayList<>();
        for (PreferencePair p : pairs) {
            prefixes.add(p.prefix());
            conts.add(p.chosen());
        }
        for (PreferencePair p : pairs) {
            prefixes.add(p.prefix());
            conts.add(p.rejected());
        }
        double[] pol = new SequenceScorer(policy).score(prefixes, conts);
        double[] rf = new SequenceScorer(ref).score(prefixes, conts);
        int n = pairs.size();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if ((pol[i] - rf[i]) - (pol[n + i] - rf[n + i]) > 0) {
                correct++;
            }
        }
        return correct / (double) n;
    }
}
