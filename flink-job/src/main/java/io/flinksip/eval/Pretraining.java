package io.flinksip.eval;

import io.flinksip.learn.OptimizerConfig;
import io.flinksip.learn.PackedTokenStream;
import io.flinksip.learn.PolicyTrainer;
import io.flinksip.learn.StepResult;
import io.flinksip.learn.TrainerConfig;
import io.flinksip.model.DeterministicRng;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.weights.HfCheckpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Next-token pretraining of the experiment's initial policy on a corpus of its own (packed random windows), exported
 * as a Hugging Face checkpoint. The paper's main setting is continual: every method starts from the same pretrained
 * model, which already writes fluent text, including the false statements and unsafe spans of its corpus.
 */
final class Pretraining {
    private Pretraining() {
    }

    static Path run(List<String> documents, TextTokenizer tokenizer, LlamaConfig config, int steps, int batch,
                    int length, double learningRate, long seed, Path exportDir, Path tokenizerFile, PrintStream out)
            throws IOException {
        PackedTokenStream stream = PackedTokenStream.of(tokenizer, documents);
        DeterministicRng rng = new DeterministicRng(seed);
        TrainerConfig trainer = new TrainerConfig(OptimizerConfig.defaults(learningRate, steps / 10, steps), null);
        long start = System.nanoTime();
        try (PolicyTrainer t = PolicyTrainer.create(config, LlamaModel.initialWeights(config, seed), trainer, seed)) {
            double loss = Double.NaN;
            for (int s = 1; s <= steps; s++) {
                StepResult r = t.trainNextToken(stream.windows(batch, length, rng));
                loss = r.loss();
                if (s % 50 == 0 || s == steps) {
                    out.printf("pretrain    step %d/%d  loss %.3f  %.0f s%n", s, steps, loss,
                            (System.nanoTime() - start) / 1e9);
                }
            }
            HfCheckpoint.export(exportDir, config, t.weights(), tokenizerFile);
        }
        return exportDir;
    }
}
