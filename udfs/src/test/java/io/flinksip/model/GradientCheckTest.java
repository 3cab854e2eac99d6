package io.flinksip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Autograd through our decoder (RMSNorm, rotary, GQA, SwiGLU, masked NLL) matches central finite differences. */
class GradientCheckTest {

    @Test
    void analyticGradientsMatchFiniteDifferences() {
        LlamaConfig config = new LlamaConfig(32, 16, 24, 2, 4, 2, 64, 10_000.0, 1e-5, false, -1, 0, 0.5);
        LinkedHashMap<String, float[]> weights = LlamaModel.initialWeights(config, 7);
        DeterministicRng rng = new DeterministicRng(3);
        List<int[]> prefixes = List.of(TestModels.randomTokens(rng, 5, 32), TestModels.randomTokens(rng, 3, 32));
        List<int[]> conts = List.of(TestModels.randomTokens(rng, 4, 32), TestModels.randomTokens(rng, 6, 32));
        TokenBatch batch = TokenBatch.of(prefixes, conts, 0);

        Map<String, float[]> analytic = new LinkedHashMap<>();
        try (LlamaModel model = LlamaModel.create(config, weights, true)) {
            Autograd.withGradMode(true, () -> {
                try (NDManager m = model.manager().newSubManager()) {
                    NDArray loss = batch.targetLogProbs(m, model).sum().neg();
                    Autograd.backward(loss);
                }
                return null;
            });
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                float[] g = new float[(int) e.getValue().getShape().size()];
                Autograd.drainGradient(e.getValue(), g);
                analytic.put(e.getKey(), g);
            }
        }

        List<String> checked = new ArrayList<>();
        try (LlamaModel probe = LlamaModel.create(config, weights, false)) {
            SequenceScorer scorer = new SequenceScorer(probe);
            double eps = 1e-2;
            for (String name : List.of("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
                    "model.layers.0.self_attn.k_proj.weight", "model.layers.1.self_attn.v_proj.weight",
                    "model.layers.1.self_attn.o_proj.weight", "model.layers.0.mlp.gate_proj.weight",
                    "model.layers.1.mlp.down_proj.weight", "model.layers.0.input_layernorm.weight",
                    "model.norm.weight", "lm_head.weight")) {
                float[] g = analytic.get(name);
                int[] top = largestIndices(g, 3);
                for (int idx : top) {
                    float original = weights.get(name)[idx];
                    weights.get(name)[idx] = (float) (original + eps);
                    probe.loadWeights(weights);
                    double plus = -sum(scorer.score(prefixes, conts));
                    weights.get(name)[idx] = (float) (original - eps);
                    probe.loadWeights(weights);
                    double minus = -sum(scorer.score(prefixes, conts));
                    weights.get(name)[idx] = original;
                    probe.loadWeights(weights);
                    double numeric = (plus - minus) / (2 * eps);
                    double err = Math.abs(numeric - g[idx]) / Math.max(1e-3, Math.abs(g[idx]));
                    assertTrue(err < 0.03, () -> name + "[" + idx + "] analytic " + g[idx] + " vs numeric " + numeric);
                    checked.add(name);
                }
            }
        }
        assertTrue(checked.size() >= 30);
    }

    private static double sum(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s;
    }

    private static int[] largestIndices(float[] g, int k) {
        int[] best = new int[k];
        java.util.Arrays.fill(best, -1);
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < k; j++) {
                if (best[j] < 0 || Math.abs(g[i]) > Math.abs(g[best[j]])) {
                    System.arraycopy(best, j, best, j + 1, k - j - 1);
                    best[j] = i;
                    break;
                }
            }
        }
        return best;
    }
}
