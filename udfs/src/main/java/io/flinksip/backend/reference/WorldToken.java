package io.flinksip.backend.reference;

import io.flinksip.world.Kind;

/**
 * A token of text as the quality judge sees it.
 *
 * @param form what the fluency model sees: a lower-cased word, a punctuation mark, {@code <num>} for a number, or
 *     a class such as {@code <town>} for a generated name (so the model learns "was born in &lt;town&gt;" once, not
 *     once per town)
 * @param surface the lower-cased text, names included, for repetition counts
 * @param name the generated name this token is, or null
 * @param kind the name's kind, or null
 * @param word true for words and names, false for punctuation
 * @param number true for numbers
 */
record WorldToken(String form, String surface, String name, Kind kind, boolean word, boolean number) {

    /** The entity this token names (a person, town, country, river or company), or null. */
    String entity() {
        return kind != null && kind.isEntity() ? name : null;
    }
}
