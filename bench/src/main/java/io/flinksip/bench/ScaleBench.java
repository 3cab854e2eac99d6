package io.flinksip.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
import io.flinksip.model.WeightPrecision;
import io.flinksip.weights.PolicyWeights;
import io.flinksip.weights.WeightStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * How the policy layer scales with the model, preset by preset ({@code sip.model.preset}) or for an explicit shape:
 * next-token training tokens/s (batch 16 x 128) and its GFLOP/s (6 x parameters x tokens, the usual estimate without
 * attention's quadratic term) as a share of an fp32 GEMM measured in the same run through the same engine; KV-cached
 * rollout tokens/s (4 samples x 32 tokens after a 64-token prefix) with a float32 and a float16 replica
 * ({@code sip.rollout.precision}); the learner state (weights, two AdamW moments) in MB with its snapshot + encode time
 * on the learner's thread (what a savepoint still costs; checkpoints reference the state); a weight-store publish; a
 * load into float arrays plus the move into a replica (a new replica's path), and the memory-mapped load straight into
 * an existing float32 and float16 replica's tensors; and what the round trip (publish + mapped load) costs per
 * training step at P = 1 ({@code sip.weights.publish-every}), and the smallest P that keeps it within 10%; beside it
 * one SHA-256 pass over the file and the round trip's share as it was before 0.2, when the publish and every load
 * hashed the file with SHA-256 rather than CRC32C.
 *
 * <p>Not measured here: checkpoint size and pause inside the job ({@code bench checkpoint}).
 *
 * <p>Usage: {@code bench scale [shapes]}, shapes comma-separated: a preset (tiny, small, base, m100) or an explicit
 * shape such as {@code d768-l12-i2048-v8192-untied} (hidden size, layers, MLP size, optional heads {@code h12}
 * (default d / 64), vocabulary {@code v} (default 2,048), {@code untied} for a separate output head).
 */
public final class ScaleBench {
    private ScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        List<ModelShape> shapes = new ArrayList<>();
        for (String p : (args.length > 0 ? args[0] : "tiny,small,base,m100").split(",")) {
            shapes.add(ModelShape.parse(p));
        }
        System.out.printf("device %s%n", DjlRuntime.describe());
        double gemm = gemmGflops();
        System.out.printf("fp32 GEMM (1024 x 1024 x 1024, DJL PyTorch): %.1f GFLOP/s%n%n", gemm);
        List<String> traffic = new ArrayList<>();
        System.out.println("| shape | parameters | train step | train tokens/s | GFLOP/s | share of GEMM"
                + " | rollout tokens/s (fp32 / fp16 replica) | state MB | snapshot + encode |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (ModelShape shape : shapes) {
            traffic.add(measure(shape, gemm));
        }
        System.out.println();
        System.out.println("| shape | weights MB | publish | load + apply (new replica) | mapped load fp32 | mapped load"
                + " fp16 | sync / step at P = 1 (fp32 / fp16 replica) | P for sync <= 10% (fp32) | SHA-256 of the"
                + " file | sync / step at P = 1 plus SHA-256 twice (about as before 0.2) |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        traffic.forEach(System.out::println);
        System.out.printf("%nfp32 GEMM again after the sweep: %.1f GFLOP/s%n", gemmGflops());
    }

    /** Prints the shape's training row; returns its weight-traffic row. */
    private static String measure(ModelShape shape, double gemm) throws Exception {
        LlamaConfig config = shape.config();
        long params = LlamaModel.parameterCount(config);
        int steps = params < 2_000_000 ? 10 : params < 10_000_000 ? 5 : params < 50_000_000 ? 3 : 2;
        DeterministicRng rng = new DeterministicRng(7);
        TrainerConfig cfg = new TrainerConfig(OptimizerConfig.defaults(1e-3, 10, 1000), null);
        double stepSeconds;
        double snapshotSeconds;
        long stateBytes = 0;
        LinkedHashMap<String, float[]> weights;
        try (PolicyTrainer trainer = PolicyTrainer.create(config, LlamaModel.initialWeights(config, 7), cfg, 7)) {
            trainer.trainNextToken(batch(rng, 16, 128, config.vocabSize())); // warm-up
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                trainer.trainNextToken(batch(rng, 16, 128, config.vocabSize()));
            }
            stepSeconds = (System.nanoTime() - t0) / 1e9 / steps;
            long s0 = System.nanoTime();
            TrainerState state = trainer.snapshot();
            for (byte[] chunk : TrainerStateCodec.encode(state, TrainerStateCodec.DEFAULT_MAX_CHUNK_BYTES)) {
                stateBytes += chunk.length;
            }
            snapshotSeconds = (System.nanoTime() - s0) / 1e9;
            weights = trainer.weights();
        }
        Path dir = Files.createTempDirectory("flink-sip-scale");
        double publishSeconds;
        double loadSeconds;
        double mappedSeconds;
        double mappedHalfSeconds;
        double shaSeconds;
        long fileBytes;
        try {
            WeightStore store = new WeightStore(dir.toString());
            float[][] values = weights.values().toArray(new float[0][]);
            store.publish("bench", 0, 0, config, List.copyOf(weights.keySet()), values, null); // warm-up
            long p0 = System.nanoTime();
            store.publish("bench", 1, 1, config, List.copyOf(weights.keySet()), values, null);
            publishSeconds = (System.nanoTime() - p0) / 1e9;
            fileBytes = Files.size(Path.of(store.versionPath("bench", 1), "weights.bin"));
            shaSeconds = sha256Seconds(Path.of(store.versionPath("bench", 1), "weights.bin"));
            long l0 = System.nanoTime();
            PolicyWeights loaded = store.load("bench", 1);
            loadSeconds = (System.nanoTime() - l0) / 1e9;
            if (loaded.weights().size() != weights.size()) {
                throw new IllegalStateException("the store loaded " + loaded.weights().size() + " tensors of "
                        + weights.size());
            }
            mappedSeconds = mappedLoadSeconds(store, config, weights, WeightPrecision.FLOAT32);
            mappedHalfSeconds = mappedLoadSeconds(store, config, weights, WeightPrecision.FLOAT16);
        } finally {
            deleteTree(dir);
        }
        double rollout = rolloutTokensPerSecond(config, weights, rng, WeightPrecision.FLOAT32);
        double rolloutHalf = rolloutTokensPerSecond(config, weights, rng, WeightPrecision.FLOAT16);
        double applySeconds = applySeconds(config, weights);
        double tokensPerSecond = 16 * 128 / stepSeconds;
        double gflops = 6.0 * params * tokensPerSecond / 1e9;
        System.out.printf("| %s | %,.1f M | %.2f s | %,.0f | %.1f | %.2f | %,.0f / %,.0f | %,.0f | %.2f s |%n",
                shape.name(), params / 1e6, stepSeconds, tokensPerSecond, gflops, gflops / gemm, rollout, rolloutHalf,
                stateBytes / 1e6, snapshotSeconds);
        // A version's whole round trip: the learner writes it (on its thread), a rollout replica reads it into its
        // model (on the rollout's; memory-mapped, straight into the tensors, once the replica exists). On this machine
        // both compete for the same cores, so count all of it.
        double sync = publishSeconds + mappedSeconds;
        double syncHalf = publishSeconds + mappedHalfSeconds;
        int every = (int) Math.max(1, Math.ceil(sync / (0.1 * stepSeconds)));
        // Before 0.2 the publish and every load each hashed the file with SHA-256 instead of the CRC32C.
        double before = sync + 2 * shaSeconds;
        return String.format("| %s | %,.0f | %.2f s | %.2f s | %.2f s | %.2f s | %.1f%% / %.1f%% | %d (%.1f%%) "
                        + "| %.2f s | %.1f%% |",
                shape.name(), fileBytes / 1e6, publishSeconds, loadSeconds + applySeconds, mappedSeconds,
                mappedHalfSeconds, 100 * sync / stepSeconds, 100 * syncHalf / stepSeconds, every,
                100 * sync / every / stepSeconds, shaSeconds, 100 * before / stepSeconds);
    }

    /** One SHA-256 pass over the mapped file: what the publish and each load paid on top before 0.2 (median of 3). */
    private static double sha256Seconds(Path file) throws Exception {
        double[] runs = new double[3];
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            for (int i = 0; i < runs.length; i++) {
                long t0 = System.nanoTime();
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                for (long at = 0; at < channel.size(); at += 1L << 30) {
                    sha.update(channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, at,
                            Math.min(1L << 30, channel.size() - at)));
                }
                sha.digest();
                runs[i] = (System.nanoTime() - t0) / 1e9;
            }
        }
        java.util.Arrays.sort(runs);
        return runs[1];
    }

    /** The memory-mapped load into an existing replica of {@code precision}: the median of three after a warm-up. */
    private static double mappedLoadSeconds(WeightStore store, LlamaConfig config,
                                            LinkedHashMap<String, float[]> weights, WeightPrecision precision) {
        try (LlamaModel replica = LlamaModel.createReplica(config, weights, precision)) {
            store.loadInto("bench", 0, replica); // warm-up
            double[] runs = new double[3];
            for (int i = 0; i < runs.length; i++) {
                long m0 = System.nanoTime();
                if (!store.loadInto("bench", i % 2 == 0 ? 1 : 0, replica)) {
                    throw new IllegalStateException("the mapped load did not apply on a local store");
                }
                runs[i] = (System.nanoTime() - m0) / 1e9;
            }
            java.util.Arrays.sort(runs);
            return runs[1];
        }
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
                                                 DeterministicRng rng, WeightPrecision precision) {
        try (LlamaModel model = LlamaModel.createReplica(config, weights, precision)) {
            ContinuationSampler sampler = new ContinuationSampler(model);
            int[] prefix = batch(rng, 1, 64, config.vocabSize()).get(0);
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

    private static List<int[]> batch(DeterministicRng rng, int rows, int length, int vocab) {
        List<int[]> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            int[] t = new int[length];
            for (int j = 0; j < length; j++) {
                t[j] = 1 + (int) Long.remainderUnsigned(rng.nextLong(), vocab - 1);
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
