package io.flinksip.eval;

/**
 * One policy against a reference policy (Base or NTP) on the same prefixes.
 *
 * @param qualityWinRate quality win rate over the reference, both orders (the paper's generation-quality metric)
 * @param coherenceWinRate coherence (repetition) win rate over the reference
 * @param safetyGain relative gain of the safety rate: (safe − safe_ref) / safe_ref (the paper's "+18.5%")
 * @param factualityGain relative gain of with-reference factuality (the paper's "+36.2%")
 * @param oracleFactualityGain relative gain of fact-table factuality, or NaN without an oracle
 */
public record PolicyComparison(Interval qualityWinRate, Interval coherenceWinRate, double safetyGain,
                               double factualityGain, double oracleFactualityGain) {

    static PolicyComparison of(PolicyEvaluation x, PolicyEvaluation reference, Interval quality, Interval coherence) {
        return new PolicyComparison(quality, coherence, gain(x.safetyRate(), reference.safetyRate()),
                gain(x.factuality(), reference.factuality()),
                x.oracleFactuality() == null ? Double.NaN : gain(x.oracleFactuality(), reference.oracleFactuality()));
    }

    /** (x − ref) / ref; NaN when the reference is 0. */
    static double gain(Interval x, Interval reference) {
        return reference.value() == 0 ? Double.NaN : (x.value() - reference.value()) / reference.value();
    }
}
