package io.flinksip.job.demo;

import io.flinksip.learn.OptimizerConfig;
import io.flinksip.learn.PackedTokenStream;
import io.flinksip.learn.PolicyTrainer;
import io.flinksip.learn.StepResult;
import io.flinksip.learn.TrainerConfig;
import io.flinksip.learn.TrainerStateCodec;
import io.flinksip.model.Continuation;
import io.flinksip.model.ContinuationSampler;
import io.flinksip.model.DeterministicRng;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.SamplingConfig;
import io.flinksip.model.SequenceScorer;
import io.flinksip.tokenizer.ByteLevelBpeTokenizer;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.weights.HfCheckpoint;
import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.Split;
import io.flinksip.world.WorldConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pre-Flink demo: takes documents of the reference world (the job's own generated corpus), trains a byte-level BPE tokenizer and the tiny policy with next-token
 * pretraining, prints progress and held-out loss, samples a continuation, and writes a Hugging Face checkpoint plus
 * the learner's state. It exercises every piece the streaming job is built from.
 */
public final class PolicyTrainingDemo {
    private static final int HELD_OUT_DOCUMENTS = 64;


    /** Demo settings; the defaults finish in about a minute on two cores. */
    public record Options(int steps, int batchSize, int sequenceLength, int vocabSize, int documents, long seed,
                          double learningRate, int logEvery, Path workDir) {
        public static Options defaults() {
            return new Options(200, 16, 128, 2048, 3000, 42, 3e-3, 10, Path.of("work", "demo"));
        }
    }

    /** What the run produced. */
    public record Result(double initialHeldOutLoss, double finalHeldOutLoss, Path checkpointDir, Path stateDir,
                         long parameters, double tokensPerSecond) {
    }

    private final Options options;
    private final PrintStream out;

    public PolicyTrainingDemo(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public Result run() throws IOException {
        Files.createDirectories(options.workDir());
        long t0 = System.nanoTime();
        ReferenceWorld world = ReferenceWorld.generate(WorldConfig.defaults().withSeed(options.seed()));
        List<String> train = world.texts(Split.TRAIN, options.documents());
        List<String> heldOutDocs = world.texts(Split.HELD_OUT, HELD_OUT_DOCUMENTS);
        out.printf("corpus      %d reference-world documents (%,d characters), %d held out%n", train.size(),
                train.stream().mapToInt(String::length).sum(), heldOutDocs.size());

        ByteLevelBpeTokenizer tokenizer = new ByteLevelBpeTrainer(options.vocabSize()).train(train);
        Path tokenizerFile = options.workDir().resolve("tokenizer.json");
        tokenizer.save(tokenizerFile);
        PackedTokenStream stream = PackedTokenStream.of(tokenizer, train);
        PackedTokenStream heldOutStream = PackedTokenStream.of(tokenizer, heldOutDocs);
        out.printf("tokenizer   byte-level BPE, vocab %d, %.2f characters/token, trained in %.1f s -> %s%n",
                tokenizer.vocabSize(), train.stream().mapToInt(String::length).sum() / (double) stream.length(),
                (System.nanoTime() - t0) / 1e9, tokenizerFile);

        LlamaConfig config = LlamaConfig.tiny(tokenizer.vocabSize(), tokenizer.eosTokenId())
                .withMaxPositions(Math.max(512, options.sequenceLength()));
        long params = LlamaModel.parameterCount(config);
        out.printf("model       %s, %,d parameters%n", config, params);
        TrainerConfig trainerConfig = new TrainerConfig(
                OptimizerConfig.defaults(options.learningRate(), Math.max(1, options.steps() / 10), options.steps()),
                null);
        List<int[]> heldOutWindows = heldOutStream.windows(8, options.sequenceLength(),
                new DeterministicRng(options.seed() ^ 0x5EED));
        DeterministicRng batchRng = new DeterministicRng(options.seed());
        try (PolicyTrainer trainer = PolicyTrainer.create(config, LlamaModel.initialWeights(config, options.seed()),
                trainerConfig, options.seed())) {
            double initial = heldOutLoss(trainer.policy(), heldOutWindows);
            out.printf("training    next-token pretraining, %d steps of %d x %d tokens; held-out loss %.3f%n",
                    options.steps(), options.batchSize(), options.sequenceLength(), initial);
            long trainStart = System.nanoTime();
            long tokens = 0;
            double lossSum = 0;
            int lossCount = 0;
            double heldOutLoss = initial;
            for (int s = 1; s <= options.steps(); s++) {
                StepResult r = trainer.trainNextToken(
                        stream.windows(options.batchSize(), options.sequenceLength(), batchRng));
                tokens += (long) options.batchSize() * options.sequenceLength();
                lossSum += r.loss();
                lossCount++;
                if (s % options.logEvery() == 0 || s == options.steps()) {
                    boolean evaluate = s % (options.logEvery() * 5) == 0 || s == options.steps();
                    if (evaluate) {
                        heldOutLoss = heldOutLoss(trainer.policy(), heldOutWindows);
                    }
                    double elapsed = (System.nanoTime() - trainStart) / 1e9;
                    double eta = elapsed / s * (options.steps() - s);
                    out.printf("step %5d/%d  loss %.3f  held-out %s  lr %.1e  %,.0f tok/s  elapsed %.0fs  eta %.0fs%n",
                            s, options.steps(), lossSum / lossCount, evaluate ? String.format("%.3f", heldOutLoss) : "  -  ",
                            r.learningRate(), tokens / elapsed, elapsed, eta);
                    lossSum = 0;
                    lossCount = 0;
                }
            }
            double tokensPerSecond = tokens / ((System.nanoTime() - trainStart) / 1e9);
            double finalLoss = heldOutLoss(trainer.policy(), heldOutWindows);

            int[] prompt = Arrays.copyOf(tokenizer.encode(heldOutDocs.get(0)), 24);
            Continuation sample = new ContinuationSampler(trainer.policy()).sample(List.of(prompt),
                    new long[][] {{options.seed()}}, SamplingConfig.ancestral(40)).get(0).get(0);
            out.printf("%nsample      [%s] -> [%s]%n", tokenizer.decode(prompt), tokenizer.decode(sample.tokens()));

            Path checkpoint = options.workDir().resolve("checkpoint-hf");
            HfCheckpoint.export(checkpoint, config, trainer.weights(), tokenizerFile);
            Path stateDir = options.workDir().resolve("trainer-state");
            writeChunks(stateDir, TrainerStateCodec.encode(trainer.snapshot(), TrainerStateCodec.DEFAULT_MAX_CHUNK_BYTES));
            out.printf("%nheld-out loss %.3f -> %.3f (%s) after %d steps, %,.0f training tokens/s%n", initial,
                    finalLoss, finalLoss < initial ? "falling" : "NOT falling", options.steps(), tokensPerSecond);
            out.printf("checkpoint  %s (config.json, model.safetensors, tokenizer.json; loads as LlamaForCausalLM)%n",
                    checkpoint);
            out.printf("state       %s (weights, AdamW moments, step, RNG; bit-exact restore)%n", stateDir);
            return new Result(initial, finalLoss, checkpoint, stateDir, params, tokensPerSecond);
        }
    }

    private static double heldOutLoss(LlamaModel model, List<int[]> windows) {
        List<int[]> first = new ArrayList<>();
        List<int[]> rest = new ArrayList<>();
        int count = 0;
        for (int[] w : windows) {
            first.add(new int[] {w[0]});
            rest.add(Arrays.copyOfRange(w, 1, w.length));
            count += w.length - 1;
        }
        double sum = 0;
        for (double s : new SequenceScorer(model).score(first, rest)) {
            sum += s;
        }
        return -sum / count;
    }

    private static void writeChunks(Path dir, List<byte[]> chunks) throws IOException {
        Files.createDirectories(dir);
        try (var old = Files.list(dir)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        for (int i = 0; i < chunks.size(); i++) {
            Files.write(dir.resolve(String.format("chunk-%05d.bin", i)), chunks.get(i));
        }
    }
}
