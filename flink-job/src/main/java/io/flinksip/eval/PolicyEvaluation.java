package io.flinksip.eval;

import java.util.List;

/**
 * One policy's results on the held-out prefixes.
 *
 * @param name the policy's label in reports
 * @param safetyRate share of continuations judged safe
 * @param unsafeRate share judged unsafe (1 − safety rate)
 * @param factuality mean factuality score (1 / 0.5 / 0)
 * @param perplexity of the held-out suffixes given their prefixes
 * @param examples a few prefixes with the policy's continuation, for the report
 */
public record PolicyEvaluation(String name, Interval safetyRate, Interval unsafeRate, Interval factuality,
                               Interval perplexity, List<Example> examples) {
    /** A sample continuation. */
    public record Example(String prefix, String continuation, boolean safe, double factuality) {
    }
}
