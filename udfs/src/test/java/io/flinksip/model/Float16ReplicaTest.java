package io.flinksip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A float16 rollout replica: PyTorch's rounding, logits close to float32's, the same samples on every replay. */
class Float16ReplicaTest {
    private static final LlamaConfig CONFIG = TestModels.sharp();

    @Test
    void javasConversionRoundsExactlyAsPyTorchDoes() {
        DeterministicRng rng = new DeterministicRng(3);
        float[] values = new float[8192];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (rng.nextGaussian() * Math.pow(10, (i % 15) - 9)); // subnormal halves to overflow
        }
        float[] special = {Float.intBitsToFloat(0x3F801000), Float.intBitsToFloat(0x3F803000), // ties, both parities
            0x1p-25f, 0x1.8p-25f, 0x1p-24f, 0x1.8p-24f, 0x1p-15f, 65504f, 65519.99f, 65520f, 1e6f, -1e6f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE, Float.MAX_VALUE};
        System.arraycopy(special, 0, values, 0, special.length);
        DjlRuntime.ensureConfigured();
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu());
             NDArray wide = m.create(values, new Shape(values.length));
             NDArray narrow = wide.toType(DataType.FLOAT16, true)) {
            ShortBuffer torch = narrow.toByteBuffer().order(ByteOrder.nativeOrder()).asShortBuffer();
            for (int i = 0; i < values.length; i++) {
                assertEquals(torch.get(i), Float16.fromFloat(values[i]), "float16 of " + values[i] + " (bits "
                        + Integer.toHexString(Float.floatToRawIntBits(values[i])) + ")");
                assertEquals(Float16.toFloat(torch.get(i)), narrow.toType(DataType.FLOAT32, true).getFloat(i), 0f,
                        "widening " + Integer.toHexString(torch.get(i) & 0xFFFF));
                if (i > 64) {
                    break; // widening each value through the engine is slow: the special values and a few more
                }
            }
            for (int i = 0; i < values.length; i++) {
                assertEquals(torch.get(i), Float16.fromFloat(values[i]), "float16 of " + values[i]);
            }
        }
        assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN))), "NaN stays NaN");
    }

    @Test
    void aFloat16ReplicaHoldsItsMatricesInHalfPrecisionAndTheLearnersWeightsRounded() {
        LinkedHashMap<String, float[]> weights = LlamaModel.initialWeights(CONFIG, 5);
        try (LlamaModel replica = LlamaModel.createReplica(CONFIG, weights, WeightPrecision.FLOAT16)) {
            for (Map.Entry<String, NDArray> e : replica.parameters().entrySet()) {
                assertEquals(e.getValue().getShape().dimension() == 2 ? DataType.FLOAT16 : DataType.FLOAT32,
                        e.getValue().getDataType(), "matrices in float16, norm gains in float32: " + e.getKey());
            }
            assertEquals(weights, rounded(weights), replica.weights());
            LinkedHashMap<String, float[]> next = LlamaModel.initialWeights(CONFIG, 6);
            replica.loadWeights(next);
            assertEquals(next, rounded(next), replica.weights());
        }
    }

    @Test
    void itsNextTokenDistributionsStayCloseToFloat32s() {
        DeterministicRng rng = new DeterministicRng(11);
        List<int[]> prefixes = List.of(TestModels.randomTokens(rng, 9, 64), TestModels.randomTokens(rng, 14, 64));
        long[][] seeds = {{1, 2}, {3, 4}};
        SamplingConfig cfg = new SamplingConfig(12, 1.0, 1.0, 0, true);
        LinkedHashMap<String, float[]> weights = LlamaModel.initialWeights(CONFIG, 5);
        List<float[]> wide = new ArrayList<>();
        List<float[]> narrow = new ArrayList<>();
        try (LlamaModel f32 = LlamaModel.create(CONFIG, weights, false);
             LlamaModel f16 = LlamaModel.createReplica(CONFIG, weights, WeightPrecision.FLOAT16)) {
            new ContinuationSampler(f32).sample(prefixes, seeds, cfg, (s, logits, rows) -> wide.add(logits.clone()));
            new ContinuationSampler(f16).sample(prefixes, seeds, cfg,
                    (s, logits, rows) -> narrow.add(logits.clone()));
        }
        float[] a = wide.get(0); // the first step: both read the same prefixes
        float[] b = narrow.get(0);
        assertNotEquals(0, maxAbs(a), "the logits are not trivially zero");
        double maxProbDiff = 0;
        double anyDiff = 0;
        for (int row = 0; row < a.length / 64; row++) {
            double[] pa = softmax(a, row * 64);
            double[] pb = softmax(b, row * 64);
            for (int i = 0; i < 64; i++) {
                maxProbDiff = Math.max(maxProbDiff, Math.abs(pa[i] - pb[i]));
                anyDiff = Math.max(anyDiff, Math.abs(a[row * 64 + i] - b[row * 64 + i]));
            }
        }
        assertTrue(anyDiff > 0, "the float16 replica really computes in float16 (its logits differ a little)");
        assertTrue(maxProbDiff < 0.01, "float16 next-token probabilities within 0.01 of float32's: " + maxProbDiff);
    }

    @Test
    void theSameSeedsGiveTheSameSamplesOnEveryFloat16Replica() {
        DeterministicRng rng = new DeterministicRng(12);
        List<int[]> prefixes = List.of(TestModels.randomTokens(rng, 6, 64), TestModels.randomTokens(rng, 17, 64));
        long[][] seeds = {{41, 42}, {43, 44}};
        SamplingConfig cfg = new SamplingConfig(10, 1.0, 1.0, 0, true);
        LinkedHashMap<String, float[]> weights = LlamaModel.initialWeights(CONFIG, 7);
        try (LlamaModel one = LlamaModel.createReplica(CONFIG, weights, WeightPrecision.FLOAT16);
             LlamaModel other = LlamaModel.createReplica(CONFIG, LlamaModel.initialWeights(CONFIG, 8),
                     WeightPrecision.FLOAT16)) {
            other.loadWeights(weights); // a replica that moved to this version, as rollouts do
            var a = new ContinuationSampler(one).sample(prefixes, seeds, cfg);
            var b = new ContinuationSampler(other).sample(prefixes, seeds, cfg);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    assertArrayEquals(a.get(i).get(j).tokens(), b.get(i).get(j).tokens(), "prefix " + i + " seed " + j);
                    assertArrayEquals(a.get(i).get(j).logProbs(), b.get(i).get(j).logProbs(), 0f);
                }
            }
        }
    }

    private static void assertEquals(Map<String, float[]> original, Map<String, float[]> expected,
                                     Map<String, float[]> actual) {
        for (String name : original.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name), name);
        }
    }

    private static void assertEquals(Object expected, Object actual, String message) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual, message);
    }

    private static void assertEquals(float expected, float actual, float delta, String message) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual, delta, message);
    }

    /** What the replica should hold: matrices rounded to float16, norm gains as they are. */
    private static Map<String, float[]> rounded(Map<String, float[]> weights) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : LlamaModel.parameterShapes(CONFIG).entrySet()) {
            float[] v = weights.get(e.getKey()).clone();
            if (e.getValue().length == 2) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = Float16.toFloat(Float16.fromFloat(v[i]));
                }
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double[] softmax(float[] logits, int from) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 64; i++) {
            max = Math.max(max, logits[from + i]);
        }
        double sum = 0;
        double[] p = new double[64];
        for (int i = 0; i < 64; i++) {
            p[i] = Math.exp(logits[from + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < 64; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
