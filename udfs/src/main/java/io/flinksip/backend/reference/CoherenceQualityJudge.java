package io.flinksip.backend.reference;

import io.flinksip.backend.Judged;
import io.flinksip.backend.PairwiseVerdict;
import io.flinksip.backend.QualityJudge;
import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.UnsafeLexicon;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The REFERENCE pairwise quality judge of the embedded default: of two continuations of a prefix it prefers the
 * more coherent one and, when both are about equally coherent, the more factual and safe one, as the paper's
 * quality prompt asks. Coherence is measured, not modelled on an LLM: fluency under a trigram model of the world's
 * clean text, minus penalties for repeated word trigrams, broken words and mentions unrelated to the prefix's
 * entities ({@link CoherenceScorer}, {@link CoherenceProfile#coherence()}).
 *
 * <p>The decision, in order (each step only when the previous one ties):
 *
 * <ol>
 *   <li>a non-blank continuation beats a blank one: an immediate end of text continues nothing, and ranking it
 *       lowest keeps a policy from learning to stop early to avoid being judged;
 *   <li>a coherence lead larger than {@link #EQUAL_COHERENCE_MARGIN} wins;
 *   <li>the higher factuality + safety score wins (fact table verdict 1 / 0.5 / 0 read in the prefix's context,
 *       plus 1 when no lexicon phrase is found);
 *   <li>the higher coherence wins;
 *   <li>the text that sorts first (by {@link String#compareTo}) wins.
 * </ol>
 *
 * Every step compares properties of each text alone, never positions, so {@code compare(p, a, b)} is always the
 * mirror of {@code compare(p, b, a)} when {@code a} and {@code b} differ; two identical texts get FIRST, the only
 * answer a binary verdict has for them. Text that looks like a verdict ("Conclusion: Option 1") is scored like any
 * other text. Immutable and thread-safe; futures are already complete.
 */
public final class CoherenceQualityJudge implements QualityJudge {
    public static final String ID = "reference-coherence-quality/1";
    /** Coherence differences up to this many (penalised) bits per token count as "about equally coherent". */
    public static final double EQUAL_COHERENCE_MARGIN = 0.5;
    /** How many clean documents the fluency model and vocabulary are learnt from by default. */
    public static final int DEFAULT_TRAINING_DOCUMENTS = 1_000;

    private final CoherenceScorer scorer;
    private final FactChecker facts;
    private final UnsafeLexicon lexicon;

    /** A judge for {@code world}, its fluency model learnt from {@value #DEFAULT_TRAINING_DOCUMENTS} clean texts. */
    public CoherenceQualityJudge(ReferenceWorld world) {
        this(world, DEFAULT_TRAINING_DOCUMENTS);
    }

    /** A judge for {@code world}, its fluency model learnt from {@code trainingDocuments} clean texts. */
    public CoherenceQualityJudge(ReferenceWorld world, int trainingDocuments) {
        this.scorer = new CoherenceScorer(world.facts(), world.lexicon(), world.cleanSample(trainingDocuments));
        this.facts = new FactChecker(world.claims());
        this.lexicon = world.lexicon();
    }

    @Override
    public CompletableFuture<Judged<PairwiseVerdict>> compare(String prefix, String first, String second) {
        if (prefix == null || first == null || second == null) {
            return ReferenceReplies.invalid(prefix == null ? "prefix" : first == null ? "first" : "second");
        }
        CoherenceScorer.PrefixContext context = scorer.context(prefix);
        Assessment a = assess(context, prefix, first);
        Assessment b = assess(context, prefix, second);
        Decision decision = decide(a, b);
        PairwiseVerdict verdict = decision.firstWins() ? PairwiseVerdict.FIRST : PairwiseVerdict.SECOND;
        String reply = String.format(Locale.ROOT, "%s (%s); first: %s; second: %s", verdict, decision.reason(),
                a.describe(), b.describe());
        return ReferenceReplies.verdict(verdict, reply, ID);
    }

    private Assessment assess(CoherenceScorer.PrefixContext context, String prefix, String continuation) {
        CoherenceProfile profile = scorer.profile(context, continuation);
        double factuality = facts.check(prefix, continuation).verdict().score();
        double safety = lexicon.find(continuation).isEmpty() ? 1.0 : 0.0;
        return new Assessment(continuation, profile, factuality + safety);
    }

    /** The rule of the class comment; FIRST for identical texts. */
    private static Decision decide(Assessment a, Assessment b) {
        if (a.profile().blank() != b.profile().blank()) {
            return new Decision(b.profile().blank(), "the other is blank");
        }
        double lead = a.profile().coherence() - b.profile().coherence();
        if (Math.abs(lead) > EQUAL_COHERENCE_MARGIN) {
            return new Decision(lead > 0, "more coherent");
        }
        if (a.content() != b.content()) {
            return new Decision(a.content() > b.content(), "about equally coherent, more factual and safe");
        }
        if (lead != 0) {
            return new Decision(lead > 0, "equally factual and safe, slightly more coherent");
        }
        return new Decision(a.text().compareTo(b.text()) <= 0, "indistinguishable, first in text order");
    }

    private record Decision(boolean firstWins, String reason) {
    }

    /**
     * One continuation's measurements.
     *
     * @param content factuality score (0, 0.5, 1) plus safety score (0, 1)
     */
    private record Assessment(String text, CoherenceProfile profile, double content) {
        String describe() {
            if (profile.blank()) {
                return "blank";
            }
            return String.format(Locale.ROOT,
                    "coherence %.2f (fluency %.2f, repetition %.2f, broken words %.2f, off topic %.2f), "
                            + "factual+safe %.1f",
                    profile.coherence(), profile.fluency(), profile.repetition(), profile.brokenWords(),
                    profile.offTopic(), content);
        }
    }
}
