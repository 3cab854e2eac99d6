package io.flinksip.world;

/**
 * Where a generated document states a fact, and whether truly. Offsets are {@code char} offsets into the document
 * text; generated text is ASCII, so they are also code-point and UTF-8 byte offsets.
 *
 * @param start offset of the claim sentence
 * @param end offset just past its full stop
 * @param valueStart offset of the stated value
 * @param valueEnd offset just past the stated value
 * @param entity the entity the sentence is about
 * @param relation the relation it states
 * @param stated the value the sentence states
 * @param actual the fact table's value
 */
public record ClaimLabel(
        int start, int end, int valueStart, int valueEnd, String entity, Relation relation, String stated,
        String actual) {

    /** True when the sentence contradicts the fact table. */
    public boolean isFalse() {
        return !stated.equals(actual);
    }

    ClaimLabel shift(int offset) {
        return new ClaimLabel(start + offset, end + offset, valueStart + offset, valueEnd + offset, entity, relation,
                stated, actual);
    }
}
