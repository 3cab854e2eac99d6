package io.flinksip.backend.reference;

import io.flinksip.backend.FactualityVerdict;
import io.flinksip.world.FactTable;
import io.flinksip.world.Kind;
import io.flinksip.world.Relation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Factuality against the document's own text (the paper's with-reference protocol), not the fact table. */
class ReferenceTextFactualityJudgeTest {
    private static final FactTable TABLE = ReferenceJudgesFixture.world().facts();
    private static final String PERSON = TABLE.names(Kind.PERSON).get(0);
    private static final String TOWN = TABLE.value(PERSON, Relation.BORN_IN).orElseThrow();
    private static final String OTHER_TOWN = TABLE.names(Kind.TOWN).stream().filter(t -> !t.equals(TOWN))
            .findFirst().orElseThrow();

    private final ReferenceTextFactualityJudge judge =
            new ReferenceTextFactualityJudge(ReferenceJudgesFixture.world().claims());

    private FactualityVerdict assess(String prefix, String candidate, String reference) {
        return judge.assess(prefix, candidate, reference).join().verdict();
    }

    @Test
    void theReferenceDecidesNotTheFactTable() {
        String trueClaim = PERSON + " was born in " + TOWN + ".";
        String falseClaim = PERSON + " was born in " + OTHER_TOWN + ".";
        assertEquals(FactualityVerdict.NO_HALLUCINATION, assess("", trueClaim, " " + trueClaim));
        assertEquals(FactualityVerdict.DEFINITE_HALLUCINATION, assess("", trueClaim, " " + falseClaim),
                "true by the table, but it contradicts the reference, which is assumed true");
        assertEquals(FactualityVerdict.NO_HALLUCINATION, assess("", falseClaim, " " + falseClaim),
                "copying the reference is consistent with it");
    }

    @Test
    void aClaimTheReferenceDoesNotSettleIsPossible() {
        String claim = PERSON + " was born in " + TOWN + ".";
        assertEquals(FactualityVerdict.POSSIBLE_HALLUCINATION, assess("Winters are grey.", " " + claim,
                " Summers are short."));
        assertEquals(FactualityVerdict.NO_HALLUCINATION, assess(claim, " Winters are grey. " + claim, " Fine."),
                "the prefix is part of the reference");
    }

    @Test
    void aContradictionOutranksAndNoClaimsIsNoHallucination() {
        String reference = " " + PERSON + " was born in " + TOWN + ".";
        assertEquals(FactualityVerdict.DEFINITE_HALLUCINATION, assess("", "Zorbo Quintrel was born in " + TOWN
                + ". " + PERSON + " was born in " + OTHER_TOWN + ".", reference));
        assertEquals(FactualityVerdict.NO_HALLUCINATION, assess("", "Winters are long and grey.", reference));
        assertEquals(0, judge.claimsIn("", "Winters are long and grey."));
        assertEquals(2, judge.claimsIn("", "Zorbo Quintrel was born in " + TOWN + ". " + PERSON + " was born in "
                + OTHER_TOWN + "."));
    }
}
