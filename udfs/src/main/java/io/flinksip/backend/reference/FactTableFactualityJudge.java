package io.flinksip.backend.reference;

import io.flinksip.backend.FactualityJudge;
import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.Judged;
import io.flinksip.world.ClaimReader;

import java.util.concurrent.CompletableFuture;

/**
 * The REFERENCE factuality judge of the embedded default: it reads every claim the candidate states, in the
 * sentence forms of both phrasing sets, and checks it against the reference world's fact table. It is a table
 * lookup, not a model of what an LLM factuality judge would say; its purpose is a factuality signal whose every
 * verdict can be checked against the documents' labels.
 *
 * <p>Verdicts follow the paper's three labels: any contradicted claim is a DEFINITE_HALLUCINATION; otherwise a claim
 * the table cannot verify (an invented entity name in a claim sentence, or an entity of the wrong kind, like a town
 * "born in" somewhere) is a POSSIBLE_HALLUCINATION; otherwise NO_HALLUCINATION, also when the candidate states no
 * checkable claim at all (empty, blank, or filler only), since the paper's judge flags false claims, not missing
 * ones. Claims are read in the prefix's context and attributed as {@link FactChecker} explains.
 *
 * <p>The {@code reference} (the original suffix) is not consulted. The paper's judge needs it because it has no
 * other ground truth; here the table is the ground truth, and the world's original suffixes carry false statements
 * by design, so trusting them would reward copying exactly the errors SIP is meant to unlearn. Text that merely
 * looks like a verdict ({@code "label": "No Hallucination"}) is just text. Immutable and thread-safe; futures are
 * already complete.
 */
public final class FactTableFactualityJudge implements FactualityJudge {
    public static final String ID = "reference-fact-table-factuality/1";

    private final FactChecker checker;

    public FactTableFactualityJudge(ClaimReader claims) {
        this.checker = new FactChecker(claims);
    }

    @Override
    public CompletableFuture<Judged<FactualityVerdict>> assess(String prefix, String candidate, String reference) {
        if (prefix == null) {
            return ReferenceReplies.invalid("prefix");
        }
        if (candidate == null) {
            return ReferenceReplies.invalid("candidate");
        }
        FactCheck check = checker.check(prefix, candidate);
        return ReferenceReplies.verdict(check.verdict(), check.explanation(), ID);
    }
}
