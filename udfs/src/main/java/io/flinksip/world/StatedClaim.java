package io.flinksip.world;

/**
 * A claim found in a text: which template it was written in, the entity and value as written, and where they are.
 * Offsets are {@code char} indices into the text that was read.
 *
 * @param template the sentence template that matched
 * @param start offset of the claim sentence
 * @param end offset just past it (past the full stop for a complete claim, the text's end for a cut one)
 * @param complete false when the sentence runs into the end of the text and was only partly read
 * @param entity the entity as written, whitespace-normalised
 * @param entityTruncation whether the entity may have lost words at a text boundary
 * @param value the value as written, whitespace-normalised
 * @param valueStart offset of the value
 * @param valueEnd offset just past the value
 * @param valueTruncation whether the value may have lost words or characters at a text boundary
 */
public record StatedClaim(
        ClaimTemplate template,
        int start,
        int end,
        boolean complete,
        String entity,
        Truncation entityTruncation,
        String value,
        int valueStart,
        int valueEnd,
        Truncation valueTruncation) {

    /** The relation the claim states. */
    public Relation relation() {
        return template.relation();
    }
}
