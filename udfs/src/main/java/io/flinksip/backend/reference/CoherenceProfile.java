package io.flinksip.backend.reference;

/**
 * What the quality judge measured about one continuation.
 *
 * @param fluency mean log2 probability per token under the clean-text n-gram model (0 is perfect; clean world
 *     text scores around -2, garbage far below -10)
 * @param repetition share of the continuation's word trigrams that repeat an earlier one (0 to 1)
 * @param brokenWords share of its words that are neither world vocabulary, numbers nor generated names (0 to 1)
 * @param offTopic share of its entity mentions unrelated to the prefix's entities (0 to 1)
 * @param blank true for an empty or whitespace-only continuation
 */
record CoherenceProfile(double fluency, double repetition, double brokenWords, double offTopic, boolean blank) {
    static final double REPETITION_WEIGHT = 6.0;
    static final double BROKEN_WORDS_WEIGHT = 6.0;
    static final double OFF_TOPIC_WEIGHT = 4.0;

    /**
     * One coherence score, higher is better: fluency minus weighted penalties, all in bits per token. Fluency alone
     * already sinks garbage and broken words; the penalties exist for what stays fluent: a loop of good sentences
     * and a good text about other entities. The weights were set from measured profiles of 600 default-world windows
     * of ~100 words: real continuations average -1.4 (fluency -1.2, repetition 0.03), repetition loops -10 (fluency
     * -4.5, repetition 0.94), windows of other documents -5.3 (fluency -1.4, off topic 0.91), broken words -18 and
     * byte garbage -24; each weight puts its failure several margins below a real continuation without letting the
     * small repetition and topic drift of real text matter. Blank continuations are ranked by the judge, not by this
     * score.
     */
    double coherence() {
        return fluency - REPETITION_WEIGHT * repetition - BROKEN_WORDS_WEIGHT * brokenWords
                - OFF_TOPIC_WEIGHT * offTopic;
    }
}
