package io.flinksip.learn;

import io.flinksip.model.DeterministicRng;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.TestModels;

import java.util.ArrayList;
import java.util.List;

final class TrainerFixtures {
    private TrainerFixtures() {
    }

    static TrainerConfig config(double lr, long total) {
        return new TrainerConfig(OptimizerConfig.defaults(lr, 2, total), DpoConfig.defaults());
    }

    static List<int[]> sequences(long seed, int count, int length, LlamaConfig config) {
        DeterministicRng rng = new DeterministicRng(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(TestModels.randomTokens(rng, length, config.vocabSize()));
        }
        return out;
    }

    static List<PreferencePair> pairs(long seed, int count, LlamaConfig config) {
        DeterministicRng rng = new DeterministicRng(seed);
        List<PreferencePair> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new PreferencePair(TestModels.randomTokens(rng, 6, config.vocabSize()),
                    TestModels.randomTokens(rng, 5, config.vocabSize()),
                    TestModels.randomTokens(rng, 5, config.vocabSize())));
        }
        return out;
    }
}
