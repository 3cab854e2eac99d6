package io.flinksip.learn;

import io.flinksip.schema.Objective;
import io.flinksip.schema.TrainingExample;
import io.flinksip.tokenizer.TokenIds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One optimizer step on a batch of training examples, by objective (the learner's logic, without Flink): NTP on
 * prefix + suffix, RF-NLL on the chosen continuation, DPO on (chosen, rejected). Continuations that would not fit the
 * model's positions after their prefix are cut to fit and counted.
 */
public final class ExampleBatchTrainer {
    private final PolicyTrainer trainer;
    private final Objective objective;
    private long truncated;

    public ExampleBatchTrainer(PolicyTrainer trainer, Objective objective) {
        this.trainer = trainer;
        this.objective = objective;
    }

    /**
     * Why the example cannot be trained on (token ids outside the model's vocabulary, an empty continuation), or null
     * when it can. Checked per example so one bad example is dead-lettered alone instead of failing its batch.
     */
    public String problem(TrainingExample e) {
        int vocab = trainer.modelConfig().vocabSize();
        String p = tokens("prefix", e.getPrefixTokens(), vocab, true);
        if (p == null) {
            p = tokens("chosen continuation", e.getChosen().getTokens(), vocab, false);
        }
        if (p == null && objective == Objective.DPO) {
            p = e.getRejected() == null ? "no rejected continuation for DPO"
                    : tokens("rejected continuation", e.getRejected().getTokens(), vocab, false);
        }
        return p;
    }

    private static String tokens(String what, List<Integer> ids, int vocab, boolean mayBeEmpty) {
        if (ids.isEmpty() && !mayBeEmpty) {
            return "empty " + what;
        }
        for (int id : ids) {
            if (id < 0 || id >= vocab) {
                return what + " has token id " + id + " outside the model's vocabulary of " + vocab;
            }
        }
        return null;
    }

    /** Continuations cut so far. */
    public long truncated() {
        return truncated;
    }

    public StepResult train(List<TrainingExample> batch) {
        List<int[]> prefixes = new ArrayList<>(batch.size());
        List<int[]> chosen = new ArrayList<>(batch.size());
        for (TrainingExample e : batch) {
            int[] prefix = TokenIds.unboxed(e.getPrefixTokens());
            prefixes.add(prefix);
            chosen.add(fit(prefix, TokenIds.unboxed(e.getChosen().getTokens())));
        }
        return switch (objective) {
            case NTP -> {
                List<int[]> sequences = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    int[] p = prefixes.get(i);
                    int[] c = chosen.get(i);
                    int[] seq = Arrays.copyOf(p, p.length + c.length);
                    System.arraycopy(c, 0, seq, p.length, c.length);
                    sequences.add(seq);
                }
                yield trainer.trainNextToken(sequences);
            }
            case RF_NLL -> trainer.trainOnContinuations(prefixes, chosen);
            case DPO -> {
                List<PreferencePair> pairs = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    pairs.add(new PreferencePair(prefixes.get(i), chosen.get(i),
                            fit(prefixes.get(i), TokenIds.unboxed(batch.get(i).getRejected().getTokens()))));
                }
                yield trainer.trainDpo(pairs);
            }
        };
    }

    private int[] fit(int[] prefix, int[] continuation) {
        int room = trainer.modelConfig().maxPositionEmbeddings() - prefix.length;
        if (continuation.length <= room) {
            return continuation;
        }
        truncated++;
        return Arrays.copyOf(continuation, Math.max(1, room));
    }
}
