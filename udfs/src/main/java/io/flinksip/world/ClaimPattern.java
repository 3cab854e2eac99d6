package io.flinksip.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link ClaimTemplate} compiled to regular expressions that find its sentences in arbitrary text.
 *
 * <p>Literal words match case-insensitively with any whitespace between them (a sentence-initial "The" may appear
 * lower-case mid-sentence in a policy's output). Slots match by the shape of their kind, not by the table's
 * contents: a name slot takes any run of capitalised words, so a claim about an invented name is still found and
 * can be reported as unverifiable. A complete claim must match the whole template including its final full stop;
 * the {@linkplain #findCut cut form} finds a sentence that the end of the text interrupted after its last slot.
 */
final class ClaimPattern {
    private static final String NAME_WORD = "\\p{Lu}[\\p{L}\\p{M}'\u2019-]*";
    private static final String NAME = NAME_WORD + "(?:\\s+" + NAME_WORD + "){0,3}";
    private static final String LOWER_WORDS = "\\p{Ll}+(?:\\s+\\p{Ll}+){0,2}";
    private static final String NOT_AFTER_WORD = "(?<![\\p{L}\\p{M}\\p{N}'\u2019-])";

    private final ClaimTemplate template;
    private final Pattern complete;
    private final Pattern head;
    /** The template's literal words (lower case): a sentence without all of them cannot be this template's. */
    private final Set<String> words;
    /** The literal words up to its last slot: a sentence cut after that slot still has all of these. */
    private final Set<String> headWords;
    /** What follows the last slot, lower-cased, with single spaces (templates have no other whitespace). */
    private final String tail;

    private ClaimPattern(ClaimTemplate template) {
        this.template = template;
        String text = template.text();
        int entityAt = text.indexOf(ClaimTemplate.ENTITY);
        int valueAt = text.indexOf(ClaimTemplate.VALUE);
        int firstSlot = Math.min(entityAt, valueAt);
        int lastSlot = Math.max(entityAt, valueAt);
        String headRegex = NOT_AFTER_WORD
                + literal(text.substring(0, firstSlot))
                + slot(text, firstSlot)
                + literal(text.substring(firstSlot + ClaimTemplate.ENTITY.length(), lastSlot))
                + slot(text, lastSlot);
        String rest = text.substring(lastSlot + ClaimTemplate.ENTITY.length());
        String placeholders = "\\{[ev]}";
        this.headWords = Set.copyOf(Words.texts(text.substring(0, lastSlot).replaceAll(placeholders, " ")));
        this.words = Set.copyOf(Words.texts(text.replaceAll(placeholders, " ")));
        this.tail = rest.toLowerCase(Locale.ROOT);
        this.head = Pattern.compile(headRegex);
        this.complete = Pattern.compile(headRegex + literal(rest));
    }

    /** The compiled patterns of every template in {@link ClaimTemplates#all()}. */
    static List<ClaimPattern> all() {
        return Holder.ALL;
    }

    ClaimTemplate template() {
        return template;
    }

    Set<String> words() {
        return words;
    }

    Set<String> headWords() {
        return headWords;
    }

    /**
     * Every complete sentence of this template in {@code text[from, to)}. The search looks across the bounds for
     * word boundaries, so a match never starts inside a word.
     */
    void findComplete(String text, int from, int to, List<StatedClaim> into) {
        Matcher m = complete.matcher(text).region(from, to).useTransparentBounds(true);
        while (m.find()) {
            into.add(claim(text, m, m.end(), true, m.end(template.valueFirst() ? "e" : "v")));
        }
    }

    /**
     * The sentence of this template, starting at or after {@code from}, that the end of {@code text} cuts after its
     * last slot (what follows the slot is a proper prefix of the template's remaining words, trailing whitespace
     * aside), if any. The last slot is read as short as the rest allows: in "in the glassmaking busi" the value is
     * "glassmaking" and "busi" the cut start of "business", not a two-word value.
     */
    void findCut(String text, int from, List<StatedClaim> into) {
        String last = template.valueFirst() ? "e" : "v";
        Matcher m = head.matcher(text).region(from, text.length()).useTransparentBounds(true);
        while (m.find()) {
            for (int slotEnd = wordEndAfter(text, m.start(last)); slotEnd <= m.end(last);
                    slotEnd = wordEndAfter(text, slotEnd)) {
                if (restStartsTail(text, slotEnd)) {
                    into.add(claim(text, m, text.length(), false, slotEnd));
                    return;
                }
            }
            m.region(m.start() + 1, text.length());
        }
    }

    /** The end of the word after {@code from} (skipping whitespace first), or past the text's end if none. */
    private static int wordEndAfter(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text.length() + 1;
        }
        while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Compares {@code text} from {@code from} with the tail, case-insensitively and with whitespace runs as one. */
    private boolean restStartsTail(String text, int from) {
        int i = from;
        int j = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (i == text.length()) {
                    return true;
                }
                if (j >= tail.length() || tail.charAt(j) != ' ') {
                    return false;
                }
            } else {
                if (j >= tail.length() || Character.toLowerCase(c) != tail.charAt(j)) {
                    return false;
                }
                i++;
            }
            j++;
        }
        return j < tail.length();
    }

    /**
     * The claim {@code m} found, ending at {@code end}; its last slot ends at {@code lastSlotEnd} (shorter than the
     * regular expression's greedy match for a cut sentence).
     */
    private StatedClaim claim(String text, Matcher m, int end, boolean completeClaim, int lastSlotEnd) {
        boolean valueLast = !template.valueFirst();
        int entityEnd = valueLast ? m.end("e") : lastSlotEnd;
        int valueEnd = valueLast ? lastSlotEnd : m.end("v");
        Kind lastKind = valueLast ? template.relation().object() : template.relation().subject();
        boolean tailMissing = !completeClaim && lastSlotMayContinue(text, lastSlotEnd, lastKind);
        return new StatedClaim(template, m.start(), end, completeClaim,
                Names.normalise(text.substring(m.start("e"), entityEnd)),
                truncation(text, m.start("e"), tailMissing && !valueLast),
                Names.normalise(text.substring(m.start("v"), valueEnd)), m.start("v"), valueEnd,
                truncation(text, m.start("v"), tailMissing && valueLast));
    }

    /**
     * True when only whitespace, or nothing, follows the last slot: then its words may go on after the cut ("Velm",
     * or "Marno" of "Marno Foundry"). A number is whole once whitespace follows it.
     */
    private static boolean lastSlotMayContinue(String text, int slotEnd, Kind kind) {
        if (slotEnd == text.length()) {
            return true;
        }
        return !kind.isNumber() && text.substring(slotEnd).isBlank();
    }

    private static Truncation truncation(String text, int start, boolean endsAtTextEnd) {
        for (int i = 0; i < start; i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return endsAtTextEnd ? Truncation.END : Truncation.NONE;
            }
        }
        return Truncation.START;
    }

    private String slot(String text, int at) {
        boolean entity = text.startsWith(ClaimTemplate.ENTITY, at);
        Kind kind = entity ? template.relation().subject() : template.relation().object();
        return "(?<" + (entity ? "e" : "v") + ">" + shape(kind) + ")";
    }

    private static String shape(Kind kind) {
        if (kind.isName()) {
            return NAME;
        }
        return switch (kind) {
            case YEAR -> "\\d{1,4}(?!\\d)";
            case KILOMETRES -> "\\d{1,6}(?!\\d)";
            default -> LOWER_WORDS;
        };
    }

    private static String literal(String text) {
        StringBuilder regex = new StringBuilder();
        String[] pieces = text.split(" ", -1);
        for (int i = 0; i < pieces.length; i++) {
            if (i > 0) {
                regex.append("\\s+");
            }
            if (!pieces[i].isEmpty()) {
                regex.append("(?i:").append(Pattern.quote(pieces[i])).append(')');
            }
        }
        return regex.toString();
    }

    /** Compiled once: the patterns are immutable and shared by every reader. */
    private static final class Holder {
        static final List<ClaimPattern> ALL = compileAll();

        private static List<ClaimPattern> compileAll() {
            List<ClaimPattern> patterns = new ArrayList<>();
            for (ClaimTemplate template : ClaimTemplates.all()) {
                patterns.add(new ClaimPattern(template));
            }
            return List.copyOf(patterns);
        }
    }
}
