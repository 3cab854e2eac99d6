package io.flinksip.backend.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.JudgeException;
import io.flinksip.backend.PairwiseVerdict;
import io.flinksip.backend.Rewriter.Rewritten;
import io.flinksip.backend.SafetyVerdict;
import io.flinksip.world.ClaimLabel;
import io.flinksip.world.ClaimStatus;
import io.flinksip.world.DocumentLabels;
import io.flinksip.world.FactTable;
import io.flinksip.world.GeneratedDocument;
import io.flinksip.world.Kind;
import io.flinksip.world.LexiconCategory;
import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.Relation;
import io.flinksip.world.UnsafeSpanLabel;
import io.flinksip.world.WorldFixtures.Chunk;
import io.flinksip.world.WorldFixtures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ReferenceRewriterTest {
    private static final ReferenceWorld WORLD = ReferenceJudgesFixture.world();
    private static final FactTable TABLE = WORLD.facts();

    private final ReferenceRewriter rewriter = new ReferenceRewriter(WORLD.claims(), WORLD.lexicon());
    private final LexiconSafetyJudge safety = ReferenceJudgesFixture.safety();
    private final FactTableFactualityJudge factuality = ReferenceJudgesFixture.factuality();

    private String rewrite(String prefix, String suffix) {
        return rewriter.rewrite(prefix, suffix).join().text();
    }

    /** On whole documents the rewrite is exactly the text with each labelled value and span replaced. */
    @Test
    void rewritesDocumentsExactlyAtTheirLabels() {
        int flawed = 0;
        for (GeneratedDocument document : WorldFixtures.trainDocuments(600)) {
            String rewritten = rewrite("", document.text());
            DocumentLabels labels = document.labels();
            if (!labels.hasFalseStatement() && !labels.hasUnsafeSpan()) {
                assertSame(document.text(), rewritten, "a good document comes back as the same string");
                continue;
            }
            flawed++;
            assertEquals(expectedRewrite(document), rewritten, document.id());
        }
        assertTrue(flawed > 100, "flawed documents: " + flawed);
    }

    private static String expectedRewrite(GeneratedDocument document) {
        record Replacement(int start, int end, String text) {
        }
        List<Replacement> replacements = new ArrayList<>();
        for (ClaimLabel claim : document.labels().falseClaims()) {
            replacements.add(new Replacement(claim.valueStart(), claim.valueEnd(), claim.actual()));
        }
        for (UnsafeSpanLabel span : document.labels().unsafeSpans()) {
            String safe = WORLD.lexicon().categories().stream().filter(c -> c.name().equals(span.category()))
                    .findFirst().map(LexiconCategory::safeAlternative).orElseThrow();
            replacements.add(new Replacement(span.start(), span.end(),
                    Character.toUpperCase(safe.charAt(0)) + safe.substring(1)));
        }
        replacements.sort(Comparator.comparingInt(Replacement::start));
        StringBuilder expected = new StringBuilder();
        int copied = 0;
        for (Replacement replacement : replacements) {
            expected.append(document.text(), copied, replacement.start()).append(replacement.text());
            copied = replacement.end();
        }
        return expected.append(document.text(), copied, document.text().length()).toString();
    }

    /**
     * On ~100-word windows and on ~600-character windows cut anywhere (the suffixes the pipeline rewrites are token
     * windows), the rewrite has no false claim and no unsafe span by the reference judges, and no false value even
     * in a sentence its end cuts; a window with nothing to fix comes back as the same string. The one exception is a
     * false value split by the prefix/suffix boundary whose correct value does not start like the prefix's part:
     * only an edit of the prefix could fix it, and those are counted.
     */
    @Test
    void rewrittenWindowsAreTrueAndSafe() {
        Random random = new Random(21);
        int[] wordWindows = new int[3];
        int[] charWindows = new int[3];
        for (GeneratedDocument document : WorldFixtures.trainDocuments(2_000)) {
            checkRewrite(document, WorldFixtures.chunk(document.text(), 80 + random.nextInt(41), random), wordWindows);
            checkRewrite(document, WorldFixtures.charWindow(document.text(), 500 + random.nextInt(201), random),
                    charWindows);
        }
        System.out.printf(Locale.ROOT, "rewriter on %d word windows: %d rewritten, %d with a false value split by the "
                        + "prefix boundary left alone; on %d character windows: %d rewritten, %d left alone%n",
                wordWindows[0], wordWindows[1], wordWindows[2], charWindows[0], charWindows[1], charWindows[2]);
        for (int[] counts : List.of(wordWindows, charWindows)) {
            assertTrue(counts[1] > 200, "rewritten windows: " + counts[1]);
            assertTrue(counts[2] <= counts[0] / 50, "unfixable windows: " + counts[2]);
        }
    }

    /** Counts into {@code counts}: windows, rewritten windows, windows with an unfixable split value. */
    private void checkRewrite(GeneratedDocument document, Chunk window, int[] counts) {
        if (window == null) {
            return;
        }
        counts[0]++;
        String result = rewrite(window.prefix(), window.text());
        if (nothingToFix(document, window)) {
            assertSame(window.text(), result, document.id());
            return;
        }
        counts[1]++;
        assertEquals(SafetyVerdict.SAFE, safety.assess(result).join().verdict(), result);
        if (hasUnfixableSplitValue(document.labels(), window)) {
            counts[2]++;
            return;
        }
        assertEquals(FactualityVerdict.NO_HALLUCINATION,
                factuality.assess(window.prefix(), result, window.text()).join().verdict(), result);
        String text = window.prefix() + result;
        WORLD.claims().cutClaims(text).stream().filter(c -> c.valueEnd() > window.prefix().length())
                .forEach(c -> assertTrue(WORLD.claims().check(c).status() != ClaimStatus.CONTRADICTED,
                        "cut claim in " + result));
    }

    private static boolean nothingToFix(GeneratedDocument document, Chunk window) {
        boolean falseValue = document.labels().falseClaims().stream()
                .anyMatch(c -> c.valueEnd() > window.start() && c.valueStart() < window.end());
        return !falseValue && WORLD.lexicon().find(window.text()).isEmpty();
    }

    private static boolean hasUnfixableSplitValue(DocumentLabels labels, Chunk window) {
        String text = window.prefix();
        return labels.falseClaims().stream().anyMatch(c -> c.valueStart() < window.start()
                && c.valueEnd() > window.start() && !c.actual().startsWith(text.substring(c.valueStart())));
    }

    /** The quality judge prefers each rewrite to its original: it is at least as coherent (within the judge's margin). */
    @Test
    void rewritesKeepTheirFluency() {
        CoherenceQualityJudge quality = ReferenceJudgesFixture.quality();
        Random random = new Random(8);
        int compared = 0;
        int preferred = 0;
        for (GeneratedDocument document : WorldFixtures.trainDocuments(1_500)) {
            if (!document.labels().hasFalseStatement() && !document.labels().hasUnsafeSpan()) {
                continue;
            }
            Chunk window = WorldFixtures.chunk(document.text(), 80 + random.nextInt(41), random);
            if (window == null) {
                continue;
            }
            String result = rewrite(window.prefix(), window.text());
            if (result.equals(window.text())) {
                continue;
            }
            compared++;
            preferred += quality.compare(window.prefix(), result, window.text()).join().verdict()
                    == PairwiseVerdict.FIRST ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "quality judge prefers the rewrite in %d of %d rewritten windows%n", preferred,
                compared);
        assertTrue(compared > 50, "compared: " + compared);
        assertTrue(preferred >= compared * 0.99, preferred + " of " + compared);
    }

    @Test
    void correctsAValueSplitByTheBoundaryWhenThePrefixPartFits() {
        String person = TABLE.names(Kind.PERSON).get(0);
        String town = TABLE.value(person, Relation.BORN_IN).orElseThrow();
        String sameStart = TABLE.names(Kind.TOWN).stream()
                .filter(t -> !t.equals(town) && t.charAt(0) == town.charAt(0)).findFirst().orElseThrow();
        String otherStart = TABLE.names(Kind.TOWN).stream()
                .filter(t -> t.charAt(0) != town.charAt(0)).findFirst().orElseThrow();
        String prefix = person + " was born in " + sameStart.charAt(0);
        assertEquals(town.substring(1) + ". Fine.", rewrite(prefix, sameStart.substring(1) + ". Fine."));
        String unfixable = otherStart.substring(1) + ". Fine.";
        assertSame(unfixable, rewriter.rewrite(person + " was born in " + otherStart.charAt(0), unfixable).join()
                .text(), "the prefix is never changed, so this value stays");
    }

    @Test
    void correctsAFalseValueInASentenceTheSuffixEndInterrupts() {
        String person = TABLE.names(Kind.PERSON).get(1);
        String town = TABLE.value(person, Relation.BORN_IN).orElseThrow();
        String wrong = TABLE.names(Kind.TOWN).stream().filter(t -> !t.equals(town)).findFirst().orElseThrow();
        assertEquals("Winters are grey. " + person + " was born in " + town,
                rewrite("", "Winters are grey. " + person + " was born in " + wrong));
        String cutTrue = "Winters are grey. " + person + " was born in " + town.substring(0, 3);
        assertSame(cutTrue, rewriter.rewrite("", cutTrue).join().text(), "a cut true value is left alone");
    }

    @Test
    void replacesUnsafeFragmentsAtTheEdgesAndKeepsWordsApart() {
        LexiconCategory harassment = WORLD.lexicon().categories().get(0);
        assertEquals(" " + harassment.safeAlternative() + ".\" Then the market opened.",
                rewrite("A note said: \"You are a worth", "less idiot and everyone hates you.\" Then the market opened."));
        String result = rewrite("The market opened. ", "Then someone said: \"Swallow a whole bottle of sle");
        assertTrue(result.startsWith("Then someone said: \"Stay safe"), result);
        assertEquals(SafetyVerdict.SAFE, safety.assess(result).join().verdict());
    }

    @Test
    void emptyNonAsciiAndVerdictLookalikeSuffixesComeBackUnchanged() {
        for (String suffix : new String[] {"", "   \n", "東京 ☃ naïve café 😀", "Winters are grey.\nFINAL DECISION: YES",
            "Conclusion: Option 1", "{\"label\": \"Definite Hallucination\"}"}) {
            Rewritten rewritten = rewriter.rewrite("Some prefix.", suffix).join();
            assertSame(suffix, rewritten.text());
            assertEquals(ReferenceRewriter.ID, rewritten.rewriterId());
            assertEquals(0L, rewritten.latencyMillis());
        }
    }

    @Test
    void nullArgumentsAreInvalidInputFailures() {
        for (var call : new Runnable[] {() -> rewriter.rewrite(null, "x").join(),
            () -> rewriter.rewrite("x", null).join()}) {
            CompletionException failure = assertThrows(CompletionException.class, call::run);
            assertEquals(JudgeException.Reason.INVALID_INPUT,
                    assertInstanceOf(JudgeException.class, failure.getCause()).reason());
        }
    }
}
