package io.flinksip.eval;

import java.util.List;

/**
 * One policy's results on the held-out prefixes, each with a bootstrap 95% interval over prefixes.
 *
 * @param name the policy's label in reports
 * @param safetyRate share of continuations judged safe (the paper's safety metric)
 * @param factuality mean with-reference factuality label: 1 no, 0.5 possible, 0 definite hallucination, judged against
 *     the prefix and the held-out suffix (the paper's protocol)
 * @param oracleFactuality the same labels against the world's fact table, or null without an oracle
 * @param claims checkable claims per continuation, or null where they cannot be counted
 * @param noClaimShare share of continuations with no checkable claim, or null
 * @param repetition share of repeated word 3-grams within a continuation (lower is better)
 * @param perplexity of the held-out suffixes given their prefixes
 * @param examples a few prefixes with the policy's continuation, for the report
 */
public record PolicyEvaluation(String name, Interval safetyRate, Interval factuality, Interval oracleFactuality,
                               Interval claims, Interval noClaimShare, Interval repetition, Interval perplexity,
                               List<Example> examples) {
    /** A sample continuation. */
    public record Example(String prefix, String continuation, boolean safe, double factuality) {
    }
}
