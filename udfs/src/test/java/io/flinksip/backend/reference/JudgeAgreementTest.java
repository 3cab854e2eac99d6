package io.flinksip.backend.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.SafetyVerdict;
import io.flinksip.world.ClaimLabel;
import io.flinksip.world.DocumentLabels;
import io.flinksip.world.GeneratedDocument;
import io.flinksip.world.LexiconPhrase;
import io.flinksip.world.Split;
import io.flinksip.world.UnsafeSpanLabel;
import io.flinksip.world.Words;
import io.flinksip.world.WorldFixtures.Chunk;
import io.flinksip.world.WorldFixtures;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Measures how often the reference safety and factuality judges agree with the generated labels, on whole documents,
 * on ~100-word windows cut at random word boundaries and on ~600-character windows cut anywhere, even inside words
 * (what judges see in the pipeline are token windows like these), and prints the figures.
 *
 * <p>What a window "should" get is derived from the label offsets, by the rules the judges document: unsafe when a
 * labelled span lies inside the window, or shows at least {@link LexiconPhrase#minimumFragmentWords()} of its words
 * at the window's edge; a false statement when a labelled false claim's value reaches into the window and its
 * sentence ends inside it (read with the document before the window as prefix). Without the prefix, a window that
 * starts inside a false sentence is ambiguous (the judge sees half a claim) and is reported, not scored.
 */
class JudgeAgreementTest {
    private static final int DOCUMENTS = 2_000;
    private static final int HELD_OUT_DOCUMENTS = 500;
    private static final double DOCUMENT_FLOOR = 0.99;
    /**
     * The window floors equal the document floor: both judges read words and sentences, and labels give exact word
     * and sentence offsets, so a window boundary can only make a span or claim invisible, which the expectation
     * already accounts for; anything below would be a judge bug, not noise.
     */
    private static final double WINDOW_FLOOR = 0.99;

    private final LexiconSafetyJudge safety = ReferenceJudgesFixture.safety();
    private final FactTableFactualityJudge factuality = ReferenceJudgesFixture.factuality();

    @Test
    void judgesAgreeWithTheLabelsOnDocumentsAndWindows() {
        Random random = new Random(20_260_129L);
        Agreement documentSafety = new Agreement();
        Agreement documentFacts = new Agreement();
        Agreement heldOutSafety = new Agreement();
        Agreement heldOutFacts = new Agreement();
        Agreement windowSafety = new Agreement();
        Agreement windowFacts = new Agreement();
        Agreement windowFactsAlone = new Agreement();
        Agreement cutSafety = new Agreement();
        Agreement cutFacts = new Agreement();
        int ambiguous = 0;
        int ambiguousFlagged = 0;
        for (int i = 0; i < DOCUMENTS; i++) {
            GeneratedDocument document = ReferenceJudgesFixture.world().documents().generate(Split.TRAIN, i);
            DocumentLabels labels = document.labels();
            documentSafety.count(labels.hasUnsafeSpan(), isUnsafe(document.text()));
            documentFacts.count(labels.hasFalseStatement(), isDefinite("", document.text()));
            if (i < HELD_OUT_DOCUMENTS) {
                GeneratedDocument heldOut = ReferenceJudgesFixture.world().documents().generate(Split.HELD_OUT, i);
                heldOutSafety.count(heldOut.labels().hasUnsafeSpan(), isUnsafe(heldOut.text()));
                heldOutFacts.count(heldOut.labels().hasFalseStatement(), isDefinite("", heldOut.text()));
            }
            Chunk cut = WorldFixtures.charWindow(document.text(), 500 + random.nextInt(201), random);
            if (cut != null) {
                cutSafety.count(unsafeVisible(document, cut), isUnsafe(cut.text()));
                cutFacts.count(falseStatementCompleted(labels, cut), isDefinite(cut.prefix(), cut.text()));
            }
            Chunk window = WorldFixtures.chunk(document.text(), 80 + random.nextInt(41), random);
            if (window == null) {
                continue;
            }
            windowSafety.count(unsafeVisible(document, window), isUnsafe(window.text()));
            windowFacts.count(falseStatementCompleted(labels, window), isDefinite(window.prefix(), window.text()));
            if (startsInsideFalseStatement(labels, window)) {
                ambiguous++;
                ambiguousFlagged += isDefinite("", window.text()) ? 1 : 0;
            } else {
                windowFactsAlone.count(falseStatementInside(labels, window), isDefinite("", window.text()));
            }
        }
        System.out.printf(Locale.ROOT, "reference judge agreement with labels:%n"
                        + "  train documents (n=%d): safety %.4f, factuality %.4f%n"
                        + "  held-out documents (n=%d): safety %.4f, factuality %.4f%n"
                        + "  80-120 word windows at word boundaries (n=%d): safety %.4f, factuality with prefix %.4f%n"
                        + "  the same windows without prefix (n=%d unambiguous): factuality %.4f;"
                        + " %d windows start inside a false statement, flagged DEFINITE in %d%n"
                        + "  500-700 character windows cut inside words (n=%d): safety %.4f, factuality with prefix"
                        + " %.4f%n",
                documentSafety.total, documentSafety.rate(), documentFacts.rate(),
                heldOutSafety.total, heldOutSafety.rate(), heldOutFacts.rate(),
                windowSafety.total, windowSafety.rate(), windowFacts.rate(),
                windowFactsAlone.total, windowFactsAlone.rate(), ambiguous, ambiguousFlagged,
                cutSafety.total, cutSafety.rate(), cutFacts.rate());
        assertTrue(documentSafety.rate() >= DOCUMENT_FLOOR, "document safety " + documentSafety.rate());
        assertTrue(documentFacts.rate() >= DOCUMENT_FLOOR, "document factuality " + documentFacts.rate());
        assertTrue(heldOutSafety.rate() >= DOCUMENT_FLOOR, "held-out safety " + heldOutSafety.rate());
        assertTrue(heldOutFacts.rate() >= DOCUMENT_FLOOR, "held-out factuality " + heldOutFacts.rate());
        assertTrue(windowSafety.rate() >= WINDOW_FLOOR, "window safety " + windowSafety.rate());
        assertTrue(windowFacts.rate() >= WINDOW_FLOOR, "window factuality " + windowFacts.rate());
        assertTrue(windowFactsAlone.rate() >= WINDOW_FLOOR, "window factuality alone " + windowFactsAlone.rate());
        assertTrue(cutSafety.rate() >= WINDOW_FLOOR, "cut window safety " + cutSafety.rate());
        assertTrue(cutFacts.rate() >= WINDOW_FLOOR, "cut window factuality " + cutFacts.rate());
        assertTrue(documentFacts.positives > 100 && windowSafety.positives > 50 && windowFacts.positives > 50,
                "the sample must contain enough flawed texts to mean something");
    }

    private boolean isUnsafe(String text) {
        return safety.assess(text).join().verdict() == SafetyVerdict.UNSAFE;
    }

    private boolean isDefinite(String prefix, String text) {
        return factuality.assess(prefix, text, text).join().verdict() == FactualityVerdict.DEFINITE_HALLUCINATION;
    }

    /**
     * Whole inside the window, or at least the minimum fragment's worth of whole words at its edge (a word the
     * window cuts is not whole).
     */
    private static boolean unsafeVisible(GeneratedDocument document, Chunk window) {
        for (UnsafeSpanLabel span : document.labels().unsafeSpans()) {
            List<Words.Word> words = Words.of(document.text().substring(span.start(), span.end()));
            int visible = 0;
            for (Words.Word word : words) {
                int start = span.start() + word.start();
                int end = span.start() + word.end();
                visible += start >= window.start() && end <= window.end() ? 1 : 0;
            }
            int minimum = Math.max(2, (words.size() + 1) / 2);
            if (visible == words.size() || visible >= minimum) {
                return true;
            }
        }
        return false;
    }

    private static boolean falseStatementCompleted(DocumentLabels labels, Chunk window) {
        return labels.falseClaims().stream()
                .anyMatch(c -> c.valueEnd() > window.start() && c.end() <= window.end());
    }

    private static boolean falseStatementInside(DocumentLabels labels, Chunk window) {
        return labels.falseClaims().stream().anyMatch(c -> c.start() >= window.start() && c.end() <= window.end());
    }

    private static boolean startsInsideFalseStatement(DocumentLabels labels, Chunk window) {
        for (ClaimLabel claim : labels.falseClaims()) {
            if (claim.start() < window.start() && claim.end() > window.start() && claim.end() <= window.end()) {
                return true;
            }
        }
        return false;
    }

    /** Counts how often a judge said what the labels say. */
    private static final class Agreement {
        int total;
        int agreed;
        int positives;

        void count(boolean expected, boolean judged) {
            total++;
            agreed += expected == judged ? 1 : 0;
            positives += expected ? 1 : 0;
        }

        double rate() {
            return total == 0 ? 0 : agreed / (double) total;
        }
    }
}
