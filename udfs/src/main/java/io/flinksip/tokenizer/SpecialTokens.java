package io.flinksip.tokenizer;

import java.util.List;
import java.util.Objects;

/**
 * The special tokens a trained tokenizer reserves: an end-of-sequence token and a padding token,
 * which may be the same string (GPT-2's convention, and the default).
 *
 * <p>Only names from {@link #EOS_NAMES} and {@link #PAD_NAMES} are accepted because a loaded {@code
 * tokenizer.json} carries no explicit roles: loaders recognise EOS and padding by these names (see
 * {@link SpecialTokenIds#resolve}), so a name outside the lists would not survive a save-and-load
 * round trip.
 *
 * @param eos the end-of-sequence token string
 * @param pad the padding token string; may equal {@code eos}
 */
public record SpecialTokens(String eos, String pad) {

    /** GPT-2's end-of-text token. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    /** A dedicated padding token in GPT-2's notation. */
    public static final String PAD = "<|pad|>";

    /** Names recognised as end-of-sequence, in order of preference. */
    public static final List<String> EOS_NAMES =
            List.of(END_OF_TEXT, "</s>", "<|end_of_text|>", "<eos>");

    /** Names recognised as padding, in order of preference; without one, padding uses EOS. */
    public static final List<String> PAD_NAMES = List.of(PAD, "<pad>", "[PAD]");

    /** {@code <|endoftext|>} as both end-of-sequence and padding. */
    public static final SpecialTokens DEFAULT = new SpecialTokens(END_OF_TEXT, END_OF_TEXT);

    /** {@code <|endoftext|>} for end-of-sequence and a separate {@code <|pad|>} for padding. */
    public static final SpecialTokens WITH_PAD = new SpecialTokens(END_OF_TEXT, PAD);

    /** Validates that both names are recognisable when the tokenizer is loaded again. */
    public SpecialTokens {
        Objects.requireNonNull(eos, "eos");
        Objects.requireNonNull(pad, "pad");
        if (!EOS_NAMES.contains(eos)) {
            throw new IllegalArgumentException(
                    "EOS token " + eos + " is not one of the recognised names " + EOS_NAMES);
        }
        if (!pad.equals(eos) && !PAD_NAMES.contains(pad)) {
            throw new IllegalArgumentException(
                    "Pad token " + pad + " is neither the EOS token nor one of " + PAD_NAMES);
        }
    }

    /** Returns the distinct token strings in id order: EOS first, then padding if different. */
    List<String> distinct() {
        return eos.equals(pad) ? List.of(eos) : List.of(eos, pad);
    }
}
