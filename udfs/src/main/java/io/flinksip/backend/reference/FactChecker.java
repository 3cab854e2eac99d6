package io.flinksip.backend.reference;

import io.flinksip.backend.FactualityVerdict;
import io.flinksip.world.CheckedClaim;
import io.flinksip.world.ClaimReader;
import io.flinksip.world.ClaimStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks what a continuation claims, read in its prefix's context, against the fact table; shared by the
 * factuality judge and the quality judge's tie-break so both mean the same by "factual".
 *
 * <p>The continuation is read as {@code prefix + continuation}, because a suffix or rollout usually starts
 * mid-sentence ("… was born in" | " Kelmora."). A claim belongs to the continuation when the continuation wrote at
 * least part of its value and finished the sentence: a continuation answers for the values it states. A claim the
 * end of the text interrupts is not judged, since the words after the cut are unknown.
 */
final class FactChecker {
    private final ClaimReader reader;

    FactChecker(ClaimReader reader) {
        this.reader = reader;
    }

    FactCheck check(String prefix, String continuation) {
        String text = prefix + continuation;
        List<CheckedClaim> checked = new ArrayList<>();
        reader.completeClaimsWithValueAfter(text, prefix.length()).forEach(c -> checked.add(reader.check(c)));
        CheckedClaim contradicted = first(checked, ClaimStatus.CONTRADICTED);
        if (contradicted != null) {
            return new FactCheck(FactualityVerdict.DEFINITE_HALLUCINATION, contradicted.explain());
        }
        CheckedClaim unverifiable = first(checked, ClaimStatus.UNVERIFIABLE);
        if (unverifiable != null) {
            return new FactCheck(FactualityVerdict.POSSIBLE_HALLUCINATION, unverifiable.explain());
        }
        String explanation = checked.isEmpty() ? "no checkable claim in the continuation"
                : checked.size() + " claim(s) checked, all consistent with the fact table";
        return new FactCheck(FactualityVerdict.NO_HALLUCINATION, explanation);
    }

    private static CheckedClaim first(List<CheckedClaim> claims, ClaimStatus status) {
        return claims.stream().filter(c -> c.status() == status).findFirst().orElse(null);
    }
}
