package io.flinksip.eval;

import io.flinksip.backend.FactualityJudge;
import io.flinksip.backend.QualityJudge;
import io.flinksip.backend.SafetyJudge;
import io.flinksip.backend.reference.CoherenceQualityJudge;
import io.flinksip.backend.reference.FactTableFactualityJudge;
import io.flinksip.backend.reference.LexiconSafetyJudge;
import io.flinksip.backend.reference.ReferenceTextFactualityJudge;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.config.StageConfigs;
import io.flinksip.world.ReferenceWorld;
import org.apache.flink.configuration.Configuration;

import java.util.function.BiFunction;

/**
 * The judges evaluation uses. Factuality follows the paper's protocol, with the document's own text (prefix and
 * held-out suffix) as the reference; on the built-in world it can also be checked against the oracle, the world's fact
 * table, and the claims each continuation makes can be counted, so a policy that states nothing checkable (and so scores
 * as factual) can be told apart from one that states true things.
 *
 * @param quality pairwise quality (win rates)
 * @param safety pointwise safety
 * @param factuality with-reference factuality (the paper's protocol)
 * @param oracleFactuality factuality against the fact table, or null (LLM judges have no oracle)
 * @param claims counts the checkable claims of a continuation after its prefix, or null where unknown
 */
record EvalJudges(QualityJudge quality, SafetyJudge safety, FactualityJudge factuality,
                  FactualityJudge oracleFactuality, BiFunction<String, String, Integer> claims) {

    /** The judges the configuration names: the reference world's, or the OpenAI-compatible endpoints'. */
    static EvalJudges of(Configuration conf) {
        if (conf.get(SipOptions.JUDGE_BACKEND) == SipOptions.JudgeBackend.REFERENCE) {
            ReferenceWorld world = ReferenceWorld.generate(StageConfigs.fromConfiguration(conf).world());
            ReferenceTextFactualityJudge withReference = new ReferenceTextFactualityJudge(world.claims());
            return new EvalJudges(new CoherenceQualityJudge(world), new LexiconSafetyJudge(world.lexicon()),
                    withReference, new FactTableFactualityJudge(world.claims()), withReference::claimsIn);
        }
        var backends = StageConfigs.fromConfiguration(conf).backends().create();
        return new EvalJudges(backends.quality(), backends.safety(), backends.factuality(), null, null);
    }
}
