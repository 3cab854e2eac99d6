package io.flinksip.world;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the reference world's claims out of text and checks them against its fact table. This is the knowledge the
 * factuality judge, the quality judge's tie-break and the rewriter share, so that they agree on what a text claims.
 *
 * <p>It recognises the sentences of both phrasing sets ({@link ClaimTemplates#all()}), wherever they occur. Names
 * are resolved with three rules, each there because judged texts are windows cut out of documents:
 *
 * <ul>
 *   <li>a name preceded by other capitalised words ("Then Orlen Vask …") is read as its longest known tail;
 *   <li>a name at the very start of the text may have lost leading words ("Vask" of "Orlen Vask"), so it also
 *       matches every name of the right kind that ends with it, and the claim is consistent if any of them has the
 *       stated value (a contradiction then names no single entity to correct);
 *   <li>a value at the end of a cut sentence may be incomplete ("Velm", or "Marno" of "Marno Foundry"), so it agrees
 *       with any table value it is a prefix of.
 * </ul>
 *
 * Instances are immutable and thread-safe.
 */
public final class ClaimReader {
    private final FactTable table;

    public ClaimReader(FactTable table) {
        this.table = table;
    }

    public FactTable table() {
        return table;
    }

    /** Every complete claim sentence in {@code text}, ordered by start offset. */
    public List<StatedClaim> completeClaims(String text) {
        return completeClaimsWithValueAfter(text, 0);
    }

    /**
     * The complete claims whose value ends after {@code offset}: the claims a continuation starting at
     * {@code offset} states (it wrote at least part of the value) and completes. Only the text from the sentence
     * break before {@code offset} is searched, since no claim sentence contains a sentence break; that keeps
     * judging a short continuation after a long prefix cheap.
     */
    public List<StatedClaim> completeClaimsWithValueAfter(String text, int offset) {
        List<StatedClaim> claims = new ArrayList<>();
        int start = sentenceStartBefore(text, offset);
        while (start < text.length()) {
            int end = sentenceEndAfter(text, start);
            for (ClaimPattern pattern : patternsWithWordsIn(text, start, end, false)) {
                pattern.findComplete(text, start, end, claims);
            }
            start = end;
        }
        claims.removeIf(claim -> claim.valueEnd() <= offset);
        claims.sort(Comparator.comparingInt(StatedClaim::start).thenComparingInt(StatedClaim::end));
        return claims;
    }

    /**
     * The claim sentences the end of {@code text} interrupts after their entity and value were written (e.g. "Orlen
     * Vask was born in Kelmora" with no full stop yet). Judges do not judge these, since the words after the cut are
     * unknown; the rewriter corrects them, because a policy learns from those tokens all the same.
     */
    public List<StatedClaim> cutClaims(String text) {
        int from = sentenceStartBefore(text, text.length());
        List<StatedClaim> claims = new ArrayList<>();
        for (ClaimPattern pattern : patternsWithWordsIn(text, from, text.length(), true)) {
            pattern.findCut(text, from, claims);
        }
        claims.sort(Comparator.comparingInt(StatedClaim::start));
        return claims;
    }

    /** Checks one claim against the fact table. */
    public CheckedClaim check(StatedClaim claim) {
        List<String> candidates = entitiesNamed(claim);
        String contradictedBy = null;
        String contradictingValue = null;
        boolean anyValue = false;
        for (String candidate : candidates) {
            Optional<String> actual = table.value(candidate, claim.relation());
            if (actual.isEmpty()) {
                continue;
            }
            if (agrees(claim, actual.get())) {
                return new CheckedClaim(claim, ClaimStatus.CONSISTENT, candidate, actual.get());
            }
            if (!anyValue) {
                contradictedBy = candidate;
                contradictingValue = actual.get();
            }
            anyValue = true;
        }
        if (!anyValue) {
            return new CheckedClaim(claim, ClaimStatus.UNVERIFIABLE, null, null);
        }
        boolean unambiguous = candidates.size() == 1;
        return new CheckedClaim(claim, ClaimStatus.CONTRADICTED, unambiguous ? contradictedBy : null,
                unambiguous ? contradictingValue : null);
    }

    /**
     * Checks one claim against the claims of a reference text instead of the fact table: the paper's with-reference
     * protocol, where the document's own text is assumed true. CONSISTENT when a reference claim about the same entity
     * and relation has the same value, CONTRADICTED when reference claims about them all have other values,
     * UNVERIFIABLE when the reference does not settle it.
     */
    public ClaimStatus checkAgainst(StatedClaim claim, List<StatedClaim> reference) {
        List<String> entities = entitiesNamed(claim);
        boolean anyValue = false;
        for (StatedClaim r : reference) {
            if (r.relation() != claim.relation() || r.valueTruncation() != Truncation.NONE
                    || java.util.Collections.disjoint(entities, entitiesNamed(r))) {
                continue;
            }
            String value = r.relation().object().isName() ? r.value() : r.value().toLowerCase(Locale.ROOT);
            if (agrees(claim, value)) {
                return ClaimStatus.CONSISTENT;
            }
            anyValue = true;
        }
        return anyValue ? ClaimStatus.CONTRADICTED : ClaimStatus.UNVERIFIABLE;
    }

    /**
     * The patterns whose literal words (up to the last slot, for cut sentences) all occur in {@code text[from,
     * to)}. Running a regular expression only where its words are present makes reading a document about 30 times
     * faster than running every pattern over all of it.
     */
    private static List<ClaimPattern> patternsWithWordsIn(String text, int from, int to, boolean cut) {
        Set<String> present = new HashSet<>(Words.texts(text.substring(from, to)));
        List<ClaimPattern> candidates = new ArrayList<>();
        for (ClaimPattern pattern : ClaimPattern.all()) {
            if (present.containsAll(cut ? pattern.headWords() : pattern.words())) {
                candidates.add(pattern);
            }
        }
        return candidates;
    }

    /** Just past the last sentence-ending mark before {@code offset}, or 0. */
    private static int sentenceStartBefore(String text, int offset) {
        for (int i = Math.min(offset, text.length()) - 1; i >= 0; i--) {
            if (isSentenceEnd(text.charAt(i))) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Just past the first sentence-ending mark at or after {@code from}, or the text's length. */
    private static int sentenceEndAfter(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (isSentenceEnd(text.charAt(i))) {
                return i + 1;
            }
        }
        return text.length();
    }

    private static boolean isSentenceEnd(char c) {
        return c == '.' || c == '!' || c == '?';
    }

    /** The table entities the claim's entity name can denote (see the class comment). */
    private List<String> entitiesNamed(StatedClaim claim) {
        Kind kind = claim.relation().subject();
        String[] words = claim.entity().split(" ");
        for (int from = 0; from < words.length; from++) {
            String tail = String.join(" ", List.of(words).subList(from, words.length));
            Optional<Kind> known = table.kindOf(tail);
            if (known.isPresent() && known.get() == kind) {
                return List.of(tail);
            }
            if (known.isPresent()) {
                break;
            }
        }
        if (claim.entityTruncation() == Truncation.START) {
            return table.namesEndingWith(claim.entity(), kind);
        }
        return List.of();
    }

    private static boolean agrees(StatedClaim claim, String actual) {
        Kind kind = claim.relation().object();
        String stated = kind.isName() ? claim.value() : claim.value().toLowerCase(Locale.ROOT);
        return switch (claim.valueTruncation()) {
            case END -> actual.startsWith(stated);
            case START -> actual.equals(stated) || actual.endsWith(" " + stated);
            case NONE -> sameValue(kind, stated, actual);
        };
    }

    private static boolean sameValue(Kind kind, String stated, String actual) {
        if (kind.isNumber()) {
            return withoutLeadingZeros(stated).equals(withoutLeadingZeros(actual));
        }
        if (kind.isName()) {
            return stated.equals(actual) || stated.endsWith(" " + actual);
        }
        return stated.equals(actual);
    }

    private static String withoutLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }
}
