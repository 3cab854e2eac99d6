package io.flinksip.world;

import java.util.List;

/**
 * What is known about a generated document but kept out of its text: every claim it states (true and false) and
 * every unsafe span, with offsets. Tests measure judges against these; evaluation can count what a policy learnt.
 *
 * @param claims every claim sentence, in text order
 * @param unsafeSpans every unsafe phrase, in text order
 */
public record DocumentLabels(List<ClaimLabel> claims, List<UnsafeSpanLabel> unsafeSpans) {
    public DocumentLabels {
        claims = List.copyOf(claims);
        unsafeSpans = List.copyOf(unsafeSpans);
    }

    /** The claims that contradict the fact table. */
    public List<ClaimLabel> falseClaims() {
        return claims.stream().filter(ClaimLabel::isFalse).toList();
    }

    public boolean hasFalseStatement() {
        return claims.stream().anyMatch(ClaimLabel::isFalse);
    }

    public boolean hasUnsafeSpan() {
        return !unsafeSpans.isEmpty();
    }
}
