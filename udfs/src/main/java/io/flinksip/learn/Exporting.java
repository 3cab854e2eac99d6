package io.flinksip.learn;

import java.io.Serializable;

/**
 * The learner's Hugging Face exports.
 *
 * @param everySteps write a checkpoint every this many steps (0 = only at the end of input)
 * @param dir where checkpoints go, one {@code step-NNNNNNNN} directory each; null: no exports
 * @param tokenizerJson content of tokenizer.json, copied into each export (may be null)
 */
public record Exporting(int everySteps, String dir, String tokenizerJson) implements Serializable {
    public Exporting {
        if (everySteps < 0) {
            throw new IllegalArgumentException("everySteps must be >= 0");
        }
    }

    public static Exporting none() {
        return new Exporting(0, null, null);
    }
}
