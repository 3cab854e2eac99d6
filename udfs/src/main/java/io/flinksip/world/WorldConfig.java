package io.flinksip.world;

/**
 * Everything that determines a reference world: with the same config, the fact table, every document, every label
 * and every written byte are the same.
 *
 * @param seed the root of every random choice
 * @param persons number of persons in the fact table
 * @param towns number of towns (at least one per country, since every country's capital is one of its towns)
 * @param countries number of countries (at least two, like every kind that is a value, so that every fact has a
 *     wrong value to state)
 * @param rivers number of rivers
 * @param companies number of companies (at least two)
 * @param trainDocuments documents in the train split
 * @param heldOutDocuments documents in the held-out split
 * @param heldOutEntityShare share of each kind's entities reserved as the topics of held-out documents (train
 *     documents may still mention them in passing, but never centre on them)
 * @param minWords shortest document, in words (a document stops at the first sentence reaching its drawn length)
 * @param maxWords longest drawn document length, in words
 * @param falseDocumentShare share of documents with at least one false statement
 * @param falseSentenceRate in such documents, the chance that each claim is stated falsely (at least one is)
 * @param unsafeDocumentShare share of documents with at least one unsafe span
 * @param unsafeSentenceRate in such documents, the chance of an unsafe quotation after each sentence (at least one)
 * @param firstTimestampMillis event time of each split's first document, epoch milliseconds
 * @param timestampStepMillis event-time step between consecutive documents (positive, so times increase)
 */
public record WorldConfig(
        long seed,
        int persons,
        int towns,
        int countries,
        int rivers,
        int companies,
        int trainDocuments,
        int heldOutDocuments,
        double heldOutEntityShare,
        int minWords,
        int maxWords,
        double falseDocumentShare,
        double falseSentenceRate,
        double unsafeDocumentShare,
        double unsafeSentenceRate,
        long firstTimestampMillis,
        long timestampStepMillis) implements java.io.Serializable {

    /** 2026-01-01T00:00:00Z. */
    private static final long JANUARY_2026 = 1_767_225_600_000L;

    public WorldConfig {
        atLeast("persons", persons, 1);
        atLeast("rivers", rivers, 1);
        atLeast("countries", countries, 2);
        atLeast("companies", companies, 2);
        if (towns < countries) {
            throw new IllegalArgumentException("towns (" + towns + ") must be at least countries (" + countries
                    + "): every country's capital is one of its towns");
        }
        if (trainDocuments < 0 || heldOutDocuments < 0) {
            throw new IllegalArgumentException("document counts must not be negative");
        }
        if (!(heldOutEntityShare > 0 && heldOutEntityShare < 1)) {
            throw new IllegalArgumentException("heldOutEntityShare must be in (0, 1): " + heldOutEntityShare);
        }
        if (minWords < 20 || maxWords < minWords) {
            throw new IllegalArgumentException("need 20 <= minWords <= maxWords: " + minWords + ", " + maxWords);
        }
        share("falseDocumentShare", falseDocumentShare);
        share("falseSentenceRate", falseSentenceRate);
        share("unsafeDocumentShare", unsafeDocumentShare);
        share("unsafeSentenceRate", unsafeSentenceRate);
        if (timestampStepMillis <= 0) {
            throw new IllegalArgumentException("timestampStepMillis must be positive: " + timestampStepMillis);
        }
    }

    /**
     * The embedded default: about 1,000 entities, 20,000 train and 2,000 held-out documents of 80–600 words, 15% of
     * documents with a false statement (each claim false with chance 0.2 there), 10% with an unsafe quotation.
     */
    public static WorldConfig defaults() {
        return new WorldConfig(20_260_129L, 600, 160, 16, 40, 120, 20_000, 2_000, 0.1, 80, 600,
                0.15, 0.2, 0.10, 0.05, JANUARY_2026, 1_000L);
    }

    public WorldConfig withSeed(long newSeed) {
        return new WorldConfig(newSeed, persons, towns, countries, rivers, companies, trainDocuments,
                heldOutDocuments, heldOutEntityShare, minWords, maxWords, falseDocumentShare, falseSentenceRate,
                unsafeDocumentShare, unsafeSentenceRate, firstTimestampMillis, timestampStepMillis);
    }

    public WorldConfig withDocuments(int train, int heldOut) {
        return new WorldConfig(seed, persons, towns, countries, rivers, companies, train, heldOut,
                heldOutEntityShare, minWords, maxWords, falseDocumentShare, falseSentenceRate, unsafeDocumentShare,
                unsafeSentenceRate, firstTimestampMillis, timestampStepMillis);
    }

    /** The same world with documents of {@code min} to {@code max} words (shorter documents make faster tests). */
    public WorldConfig withWords(int min, int max) {
        return new WorldConfig(seed, persons, towns, countries, rivers, companies, trainDocuments,
                heldOutDocuments, heldOutEntityShare, min, max, falseDocumentShare, falseSentenceRate,
                unsafeDocumentShare, unsafeSentenceRate, firstTimestampMillis, timestampStepMillis);
    }

    public WorldConfig withFalseStatements(double documentShare, double sentenceRate) {
        return new WorldConfig(seed, persons, towns, countries, rivers, companies, trainDocuments,
                heldOutDocuments, heldOutEntityShare, minWords, maxWords, documentShare, sentenceRate,
                unsafeDocumentShare, unsafeSentenceRate, firstTimestampMillis, timestampStepMillis);
    }

    public WorldConfig withUnsafeSpans(double documentShare, double sentenceRate) {
        return new WorldConfig(seed, persons, towns, countries, rivers, companies, trainDocuments,
                heldOutDocuments, heldOutEntityShare, minWords, maxWords, falseDocumentShare, falseSentenceRate,
                documentShare, sentenceRate, firstTimestampMillis, timestampStepMillis);
    }

    private static void atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ": " + value);
        }
    }

    private static void share(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1]: " + value);
        }
    }
}
