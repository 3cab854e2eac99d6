package io.flinksip.job.cli;

import io.flinksip.job.demo.PolicyTrainingDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code demo}: the policy alone, no Flink. */
@Command(name = "demo", sortOptions = false, description = "Train the tiny policy on a generated corpus with next-token "
        + "pretraining, print progress, and write a Hugging Face checkpoint and the learner state. Exits 1 if the "
        + "held-out loss did not fall.")
final class DemoCommand extends SipSubcommand {
    private static final PolicyTrainingDemo.Options D = PolicyTrainingDemo.Options.defaults();

    @Option(names = "--steps", paramLabel = "N", description = "training steps (200)")
    int steps = D.steps();

    @Option(names = "--batch", paramLabel = "N", description = "sequences per step (16)")
    int batch = D.batchSize();

    @Option(names = "--seq-len", paramLabel = "N", description = "tokens per sequence (128)")
    int sequenceLength = D.sequenceLength();

    @Option(names = "--vocab", paramLabel = "N", description = "tokenizer vocabulary, 512..4096 (2048)")
    int vocab = D.vocabSize();

    @Option(names = "--docs", paramLabel = "N", description = "generated documents (3000)")
    int docs = D.documents();

    @Option(names = "--lr", paramLabel = "X", description = "learning rate (3e-3)")
    double learningRate = D.learningRate();

    @Option(names = "--seed", paramLabel = "N", description = "seed (42)")
    long seed = D.seed();

    @Option(names = "--work", paramLabel = "DIR", description = "work directory (work/demo)")
    Path work = D.workDir();

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || batch < 1 || sequenceLength < 8 || docs < 10 || vocab < 512 || vocab > 4096
                || !(learningRate > 0)) {
            throw usage("expected --steps >= 1, --batch >= 1, --seq-len >= 8, --docs >= 10, --vocab in 512..4096 "
                    + "and --lr > 0");
        }
        PolicyTrainingDemo.Result r = new PolicyTrainingDemo(new PolicyTrainingDemo.Options(steps, batch,
                sequenceLength, vocab, docs, seed, learningRate, D.logEvery(), work), out()).run();
        return r.finalHeldOutLoss() < r.initialHeldOutLoss() ? 0 : 1;
    }
}
