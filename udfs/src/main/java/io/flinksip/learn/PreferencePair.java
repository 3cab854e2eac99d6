package io.flinksip.learn;

/** A DPO training pair: two continuations of the same prefix, the judged-better one first. */
public record PreferencePair(int[] prefix, int[] chosen, int[] rejected) {
    public PreferencePair {
        if (prefix.length == 0) {
            throw new IllegalArgumentException("prefix must not be empty");
        }
        if (chosen.length == 0 || rejected.length == 0) {
            throw new IllegalArgumentException("chosen and rejected continuations must not be empty");
        }
    }
}
