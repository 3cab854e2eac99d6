package io.flinksip.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DocumentGeneratorTest {
    private static final int LARGE_SAMPLE = 5_000;
    /** A document ends with the sentence that reaches its drawn length; unsafe quotations come on top. */
    private static final int LONGEST_SENTENCE_WORDS = 25;

    @Test
    void sameSeedSameDocumentsOtherSeedOtherDocuments() {
        ReferenceWorld world = WorldFixtures.defaultWorld();
        ReferenceWorld again = ReferenceWorld.generate(WorldConfig.defaults());
        ReferenceWorld other = ReferenceWorld.generate(WorldConfig.defaults().withSeed(99));
        for (Split split : Split.values()) {
            for (int i = 0; i < 50; i++) {
                assertEquals(world.documents().generate(split, i), again.documents().generate(split, i));
                assertNotEquals(world.documents().generate(split, i).text(), other.documents().generate(split, i)
                        .text());
            }
        }
        assertEquals(world.documents().generate(Split.TRAIN, 7), world.documents().generate(Split.TRAIN, 7),
                "a document does not depend on what was generated before");
    }

    @Test
    void idsAndTimestampsFollowTheIndex() {
        DocumentGenerator generator = WorldFixtures.defaultWorld().documents();
        WorldConfig config = WorldConfig.defaults();
        GeneratedDocument third = generator.generate(Split.HELD_OUT, 3);
        assertEquals("heldout-0000003", third.id());
        assertEquals(Split.HELD_OUT, third.split());
        assertEquals(config.firstTimestampMillis() + 3 * config.timestampStepMillis(), third.timestampMillis());
    }

    @Test
    void labelsPointAtWhatTheTextSays() {
        ReferenceWorld world = WorldFixtures.defaultWorld();
        for (GeneratedDocument document : WorldFixtures.trainDocuments(500)) {
            String text = document.text();
            for (ClaimLabel claim : document.labels().claims()) {
                assertEquals(claim.stated(), text.substring(claim.valueStart(), claim.valueEnd()));
                assertTrue(claim.start() <= claim.valueStart() && claim.valueEnd() < claim.end());
                assertEquals('.', text.charAt(claim.end() - 1));
                assertTrue(text.substring(claim.start(), claim.end()).contains(claim.entity()));
                assertEquals(world.facts().value(claim.entity(), claim.relation()).orElseThrow(), claim.actual());
            }
            for (UnsafeSpanLabel span : document.labels().unsafeSpans()) {
                assertEquals(span.phrase(), text.substring(span.start(), span.end()).toLowerCase(Locale.ROOT));
            }
        }
    }

    /** Labels stay out of the text: it is plain prose, and every claim it states is exactly one labelled claim. */
    @Test
    void textIsPlainProseWithExactlyTheLabelledClaims() {
        ReferenceWorld world = WorldFixtures.defaultWorld();
        for (GeneratedDocument document : WorldFixtures.trainDocuments(500)) {
            assertTrue(document.text().matches("[A-Za-z0-9 .,:!\"\n]+"), document.id());
            List<StatedClaim> read = world.claims().completeClaims(document.text());
            List<ClaimLabel> labels = document.labels().claims();
            assertEquals(labels.size(), read.size(), document.id());
            for (int i = 0; i < labels.size(); i++) {
                assertEquals(labels.get(i).start(), read.get(i).start());
                assertEquals(labels.get(i).end(), read.get(i).end());
            }
        }
    }

    @Test
    void lengthsVaryAcrossTheConfiguredRange() {
        WorldConfig config = WorldConfig.defaults();
        int shortDocs = 0;
        int longDocs = 0;
        int enoughForA128TokenSuffix = 0;
        List<GeneratedDocument> documents = WorldFixtures.trainDocuments(2_000);
        for (GeneratedDocument document : documents) {
            int words = document.text().split("\\s+").length;
            assertTrue(words >= config.minWords(), document.id() + " has " + words + " words");
            if (!document.labels().hasUnsafeSpan()) {
                assertTrue(words <= config.maxWords() + LONGEST_SENTENCE_WORDS, document.id() + ": " + words);
            }
            shortDocs += words < 200 ? 1 : 0;
            longDocs += words > 450 ? 1 : 0;
            enoughForA128TokenSuffix += words >= 150 ? 1 : 0;
        }
        assertTrue(shortDocs > documents.size() / 10, "short documents: " + shortDocs);
        assertTrue(longDocs > documents.size() / 10, "long documents: " + longDocs);
        assertTrue(enoughForA128TokenSuffix > documents.size() * 0.8,
                "documents with room for a prefix and a 128-token suffix: " + enoughForA128TokenSuffix);
    }

    /**
     * Shares match the config. Per document the expected number of false claims is m·p + (1-p)^m for m claims (each
     * false with chance p, one forced when none was), and of unsafe quotations s·q + (1-q)^s for s sentences.
     */
    @Test
    void falseAndUnsafeSharesAreNearTheConfiguredRates() {
        WorldConfig config = WorldConfig.defaults();
        DocumentGenerator generator = WorldFixtures.defaultWorld().documents();
        int falseDocs = 0;
        int unsafeDocs = 0;
        double expectedFalseClaims = 0;
        int falseClaims = 0;
        double expectedUnsafeSpans = 0;
        int unsafeSpans = 0;
        for (int i = 0; i < LARGE_SAMPLE; i++) {
            GeneratedDocument document = generator.generate(Split.TRAIN, i);
            DocumentLabels labels = document.labels();
            if (labels.hasFalseStatement()) {
                falseDocs++;
                int m = labels.claims().size();
                double p = config.falseSentenceRate();
                expectedFalseClaims += m * p + Math.pow(1 - p, m);
                falseClaims += labels.falseClaims().size();
            }
            if (labels.hasUnsafeSpan()) {
                unsafeDocs++;
                int s = sentences(document.text()) - labels.unsafeSpans().size();
                double q = config.unsafeSentenceRate();
                expectedUnsafeSpans += s * q + Math.pow(1 - q, s);
                unsafeSpans += labels.unsafeSpans().size();
            }
        }
        System.out.printf(Locale.ROOT, "world shares over %d documents: false %.4f (config %.2f), unsafe %.4f "
                        + "(config %.2f); false claims %d (expected %.0f), unsafe spans %d (expected %.0f)%n",
                LARGE_SAMPLE, falseDocs / (double) LARGE_SAMPLE, config.falseDocumentShare(),
                unsafeDocs / (double) LARGE_SAMPLE, config.unsafeDocumentShare(), falseClaims, expectedFalseClaims,
                unsafeSpans, expectedUnsafeSpans);
        assertEquals(config.falseDocumentShare(), falseDocs / (double) LARGE_SAMPLE, 0.02);
        assertEquals(config.unsafeDocumentShare(), unsafeDocs / (double) LARGE_SAMPLE, 0.02);
        assertEquals(1.0, falseClaims / expectedFalseClaims, 0.08);
        assertEquals(1.0, unsafeSpans / expectedUnsafeSpans, 0.10);
    }

    @Test
    void sharesOfZeroAndOneAreExact() {
        ReferenceWorld none = ReferenceWorld.generate(WorldConfig.defaults().withFalseStatements(0, 0.5)
                .withUnsafeSpans(0, 0.5));
        ReferenceWorld all = ReferenceWorld.generate(WorldConfig.defaults().withFalseStatements(1, 0)
                .withUnsafeSpans(1, 0));
        for (int i = 0; i < 200; i++) {
            DocumentLabels clean = none.documents().generate(Split.TRAIN, i).labels();
            assertFalse(clean.hasFalseStatement() || clean.hasUnsafeSpan());
            DocumentLabels flawed = all.documents().generate(Split.TRAIN, i).labels();
            assertEquals(1, flawed.falseClaims().size(), "rate 0 still forces one false claim");
            assertEquals(1, flawed.unsafeSpans().size(), "rate 0 still forces one unsafe span");
        }
    }

    @Test
    void heldOutDocumentsCentreOnReservedEntitiesAndUseHeldOutPhrasings() {
        ReferenceWorld world = WorldFixtures.defaultWorld();
        Set<String> reserved = new HashSet<>(world.documents().heldOutFocalEntities());
        assertFalse(reserved.isEmpty());
        for (Split split : Split.values()) {
            for (int i = 0; i < 300; i++) {
                GeneratedDocument document = world.documents().generate(split, i);
                String focus = document.labels().claims().get(0).entity();
                assertEquals(split == Split.HELD_OUT, reserved.contains(focus), document.id() + " about " + focus);
                for (StatedClaim claim : world.claims().completeClaims(document.text())) {
                    assertEquals(split.phrasing(), claim.template().phrasing(), document.id());
                }
            }
        }
    }

    @Test
    void cleanTextIsTrueSafeAndUsesBothPhrasings() {
        ReferenceWorld world = WorldFixtures.defaultWorld();
        Set<Phrasing> phrasings = new HashSet<>();
        for (String text : world.cleanSample(200)) {
            assertEquals(List.of(), world.lexicon().find(text));
            for (StatedClaim claim : world.claims().completeClaims(text)) {
                assertEquals(ClaimStatus.CONSISTENT, world.claims().check(claim).status(), text);
                phrasings.add(claim.template().phrasing());
            }
        }
        assertEquals(Set.of(Phrasing.values()), phrasings);
    }

    /** Every generated sentence has exactly one '.' or '!' (a quotation's, inside its quotes, ends its carrier). */
    private static int sentences(String text) {
        return (int) text.chars().filter(c -> c == '.' || c == '!').count();
    }
}
