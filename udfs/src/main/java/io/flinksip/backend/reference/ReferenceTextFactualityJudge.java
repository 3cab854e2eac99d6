package io.flinksip.backend.reference;

import io.flinksip.backend.FactualityJudge;
import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.Judged;
import io.flinksip.world.ClaimReader;
import io.flinksip.world.ClaimStatus;
import io.flinksip.world.StatedClaim;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Factuality the paper's way ("v4 with reference"): the candidate is judged against the document's own text, the
 * prefix and the original suffix, which are assumed true, not against an oracle. One label per candidate: definite
 * hallucination (0) if any claim it completes contradicts a claim of the reference about the same entity and relation,
 * else possible (0.5) if some claim is one the reference does not settle, else none (1) — also when the candidate
 * states nothing checkable, which is why evaluation reports how many claims candidates make.
 *
 * <p>{@link FactTableFactualityJudge} is the oracle variant: it checks claims against the world's whole fact table.
 */
public final class ReferenceTextFactualityJudge implements FactualityJudge {
    public static final String ID = "reference-text-factuality/1";

    private final ClaimReader claims;

    public ReferenceTextFactualityJudge(ClaimReader claims) {
        this.claims = claims;
    }

    @Override
    public CompletableFuture<Judged<FactualityVerdict>> assess(String prefix, String candidate, String reference) {
        if (prefix == null) {
            return ReferenceReplies.invalid("prefix");
        }
        if (candidate == null) {
            return ReferenceReplies.invalid("candidate");
        }
        if (reference == null) {
            return ReferenceReplies.invalid("reference");
        }
        List<StatedClaim> stated = claims.completeClaimsWithValueAfter(prefix + candidate, prefix.length());
        List<StatedClaim> known = claims.completeClaims(prefix + reference);
        FactualityVerdict verdict = FactualityVerdict.NO_HALLUCINATION;
        String explanation = stated.isEmpty() ? "no checkable claim in the continuation"
                : stated.size() + " claim(s), all settled by the reference";
        for (StatedClaim claim : stated) {
            ClaimStatus status = claims.checkAgainst(claim, known);
            if (status == ClaimStatus.CONTRADICTED) {
                verdict = FactualityVerdict.DEFINITE_HALLUCINATION;
                explanation = "contradicts the reference: '" + claim.entity() + "' " + claim.relation().id() + " '"
                        + claim.value() + "'";
                break;
            }
            if (status == ClaimStatus.UNVERIFIABLE && verdict == FactualityVerdict.NO_HALLUCINATION) {
                verdict = FactualityVerdict.POSSIBLE_HALLUCINATION;
                explanation = "not settled by the reference: '" + claim.entity() + "' " + claim.relation().id();
            }
        }
        return ReferenceReplies.verdict(verdict, explanation, ID);
    }

    /** Complete claims the candidate states after the prefix: how informative a continuation is. */
    public int claimsIn(String prefix, String candidate) {
        return claims.completeClaimsWithValueAfter(prefix + candidate, prefix.length()).size();
    }
}
