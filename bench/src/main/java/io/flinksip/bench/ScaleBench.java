package io.flinksip.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.flinksip.job.config.ModelPreset;
import io.flinksip.learn.OptimizerConfig;
import io.flinksip.learn.PolicyTrainer;
import io.flinksip.learn.TrainerConfig;
import io.flinksip.learn.TrainerState;
import io.flinksip.learn.TrainerStateCodec;
import io.flinksip.model.ContinuationSampler;
import io.flinksip.model.DeterministicRng;
import io.flinksip.model.DjlRuntime;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.SamplingConfig;
import io.flinksip.weights.PolicyWeights;
import io.flinksip.weights.WeightStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * How the policy layer scales with the model, preset by preset ({@code sip.model.preset}): next-token training
 * tokens/s (batch 16 x 128) and its GFLOP/s (6 x parameters x tokens, the usual estimate without attention's quadratic
 * term) as a share of an fp32 GEMM measured in the same run through the same engine; KV-cached rollout tokens/s (4
 * samples x 32 tokens after a 64-token prefix); the learner state (weights, two AdamW moments) in MB with its
 * snapshot + encode time on the learner's thread; a weight-store publish; a load into float arrays and the move into a
 * rollout replica (the path before 0.2, and still a new replica's), and the memory-mapped load straight into an
 * existing replica's tensors; and what the round trip (publish + mapped load) costs per training step: at P = 1
 * ({@code sip.weights.publish-every}), and the smallest P that keeps it within 10% of the step (with its share then).
 *
 * <p>Not measured here: checkpoint size and pause inside the job (they need the job; see issue notes).
 *
 * <p>Usage: {@code bench scale [tiny,small,base,m100]}.
 */
public final class ScaleBench {
    private static final int VOCAB = 2048;

    private ScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        List<ModelPreset> presets = new ArrayList<>();
        for (String p : (args.length > 0 ? args[0] : "tiny,small,base,m100").split(",")) {
            presets.add(ModelPreset.valueOf(p.trim().toUpperCase(Locale.ROOT)));
        }
        System.out.printf("device %s%n", DjlRuntime.describe());
        double gemm = gemmGflops();
        System.out.printf("fp32 GEMM (1024 x 1024 x 1024, DJL PyTorch): %.1f GFLOP/s%n%n", gemm);
        System.out.println("| preset | parameters | train step | train tokens/s | GFLOP/s | share of GEMM | rollout tokens/s"
                + " | state MB | snapshot + encode | copy (no longer made) | publish | load + apply (before) | mapped load"
                + " | sync / step at P = 1 | P for sync <= 10% |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (ModelPreset preset : presets) {
            measure(preset, gemm);
        }
        System.out.printf("%nfp32 GEMM again after the sweep: %.1f GFLOP/s%n", gemmGflops());
    }

    private static void measure(ModelPreset preset, double gemm) throws Exception {
        LlamaConfig config = LlamaConfig.tiny(VOCAB, 0).withShape(preset.hiddenSize, preset.intermediateSize,
                preset.layers, preset.heads, preset.heads, true).withMaxPositions(256);
        long params = LlamaModel.parameterCount(config);
        int steps = params < 2_000_000 ? 10 : params < 10_000_000 ? 5 : params < 50_000_000 ? 3 : 2;
        DeterministicRng rng = new DeterministicRng(7);
        TrainerConfig cfg = new TrainerConfig(OptimizerConfig.defaults(1e-3, 10, 1000), null);
        double stepSeconds;
        double snapshotSeconds;
        double copySeconds;
        long stateBytes = 0;
        LinkedHashMap<String, float[]> weights;
        try (PolicyTrainer trainer = PolicyTrainer.create(config, LlamaModel.initialWeights(config, 7), cfg, 7)) {
            trainer.trainNextToken(batch(rng, 16, 128)); // warm-up
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                trainer.trainNextToken(batch(rng, 16, 128));
            }
            stepSeconds = (System.nanoTime() - t0) / 1e9 / steps;
            long s0 = System.nanoTime();
            TrainerState state = trainer.snapshot();
            for (byte[] chunk : TrainerStateCodec.encode(state, TrainerStateCodec.DEFAULT_MAX_CHUNK_BYTES)) {
                stateBytes += chunk.length;
            }
            snapshotSeconds = (System.nanoTime() - s0) / 1e9;
            long c0 = System.nanoTime();
            weights = trainer.weights();
            copySeconds = (System.nanoTime() - c0) / 1e9;
        }
        Path dir = Files.createTempDirectory("flink-sip-scale");
        double publishSeconds;
        double loadSeconds;
        double mappedSeconds;
        try {
            WeightStore store = new WeightStore(dir.toString());
            float[][] values = weights.values().toArray(new float[0][]);
            long p0 = System.nanoTime();
            store.publish("bench", 1, 1, config, List.copyOf(weights.keySet()), values, null);
            publishSeconds = (System.nanoTime() - p0) / 1e9;
            long l0 = System.nanoTime();
            PolicyWeights loaded = store.load("bench", 1);
            loadSeconds = (System.nanoTime() - l0) / 1e9;
            if (loaded.weights().size() != weights.size()) {
                throw new IllegalStateException("the store loaded " + loaded.weights().size() + " tensors of "
                        + weights.size());
            }
            try (LlamaModel replica = LlamaModel.create(config, weights, false)) {
                store.loadInto("bench", 1, replica); // warm-up
                long m0 = System.nanoTime();
                if (!store.loadInto("bench", 1, replica)) {
                    throw new IllegalStateException("the mapped load did not apply on a local store");
                }
                mappedSeconds = (System.nanoTime() - m0) / 1e9;
            }
        } finally {
            deleteTree(dir);
        }
        double rollout = rolloutTokensPerSecond(config, weights, rng);
        double applySeconds = applySeconds(config, weights);
        double tokensPerSecond = 16 * 128 / stepSeconds;
        double gflops = 6.0 * params * tokensPerSecond / 1e9;
        // A version's whole round trip: the learner writes it (on its thread), a rollout replica reads it into its
        // model (on the rollout's; memory-mapped, straight into the tensors, once the replica exists). On this machine
        // both compete for the same cores, so count all of it.
        double sync = publishSeconds + mappedSeconds;
        int every = (int) Math.max(1, Math.ceil(sync / (0.1 * stepSeconds)));
        System.out.printf("| %s | %,.1f M | %.2f s | %,.0f | %.1f | %.2f | %,.0f | %,.0f | %.2f s | %.2f s | %.2f s | %.2f s"
                        + " | %.2f s | %.0f%% | %d (%.0f%%) |%n",
                preset.name().toLowerCase(Locale.ROOT), params / 1e6, stepSeconds, tokensPerSecond, gflops,
                gflops / gemm, rollout, stateBytes / 1e6, snapshotSeconds, copySeconds, publishSeconds,
                loadSeconds + applySeconds, mappedSeconds, 100 * sync / stepSeconds, every,
                100 * sync / every / stepSeconds);
    }

    /** Moving loaded weights into an existing replica (what a rollout does per version it takes). */
    private static double applySeconds(LlamaConfig config, LinkedHashMap<String, float[]> weights) {
        try (LlamaModel model = LlamaModel.create(config, weights, false)) {
            model.loadWeights(weights); // warm-up
            long t0 = System.nanoTime();
            model.loadWeights(weights);
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    private static double rolloutTokensPerSecond(LlamaConfig config, LinkedHashMap<String, float[]> weights,
                                                 DeterministicRng rng) {
        try (LlamaModel model = LlamaModel.create(config, weights, false)) {
            ContinuationSampler sampler = new ContinuationSampler(model);
            int[] prefix = batch(rng, 1, 64).get(0);
            SamplingConfig cached = SamplingConfig.ancestral(32);
            long[][] seeds = {{1, 2, 3, 4}};
            sampler.sample(List.of(prefix), seeds, cached); // warm-up
            long tokens = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                long[][] s = {{10L * i, 10L * i + 1, 10L * i + 2, 10L * i + 3}};
                tokens += sampler.sample(List.of(prefix), s, cached).get(0).stream()
                        .mapToLong(c -> c.tokens().length).sum();
            }
            return tokens / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** fp32 matrix multiply through the engine the models use: the machine's attainable rate for this work. */
    private static double gemmGflops() {
        int n = 1024;
        try (NDManager m = NDManager.newBaseManager(DjlRuntime.defaultDevice())) {
            NDArray a = m.randomUniform(-1f, 1f, new ai.djl.ndarray.types.Shape(n, n));
            NDArray b = m.randomUniform(-1f, 1f, new ai.djl.ndarray.types.Shape(n, n));
            for (int i = 0; i < 3; i++) {
                a.matMul(b).close();
            }
            int rounds = 20;
            long t0 = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                NDArray c = a.matMul(b);
                c.toFloatArray(); // forces the computation, as a training step's reads do
                c.close();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return 2.0 * n * n * n * rounds / seconds / 1e9;
        }
    }

    private static List<int[]> batch(DeterministicRng rng, int rows, int length) {
        List<int[]> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            int[] t = new int[length];
            for (int j = 0; j < length; j++) {
                t[j] = 1 + (int) Long.remainderUnsigned(rng.nextLong(), VOCAB - 1);
            }
            out.add(t);
        }
        return out;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
