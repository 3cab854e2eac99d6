package io.flinksip.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimReaderTest {
    private static final FactTable TABLE = FactTable.of(List.of(
            new Fact("Vandria", Relation.CAPITAL, "Kelwick"),
            new Fact("Kelwick", Relation.LOCATED_IN, "Vandria"),
            new Fact("Dunholm", Relation.LOCATED_IN, "Vandria"),
            new Fact("Kelwick", Relation.FOUNDED_YEAR, "1204"),
            new Fact("Orlen Vask", Relation.BORN_IN, "Kelwick"),
            new Fact("Tamo Vask", Relation.BORN_IN, "Dunholm"),
            new Fact("Orlen Vask", Relation.PROFESSION, "ferry captain"),
            new Fact("Orlen Vask", Relation.WORKS_FOR, "Marno Foundry"),
            new Fact("Marno Foundry", Relation.INDUSTRY, "salt mining")));
    private final ClaimReader reader = new ClaimReader(TABLE);

    private ClaimStatus statusOf(String text) {
        List<StatedClaim> claims = reader.completeClaims(text);
        assertEquals(1, claims.size(), text);
        return reader.check(claims.get(0)).status();
    }

    @Test
    void checksClaimsOfBothPhrasingSets() {
        assertEquals(ClaimStatus.CONSISTENT, statusOf("Orlen Vask was born in Kelwick."));
        assertEquals(ClaimStatus.CONTRADICTED, statusOf("Orlen Vask was born in Dunholm."));
        assertEquals(ClaimStatus.CONSISTENT, statusOf("Kelwick is the hometown of Orlen Vask."));
        assertEquals(ClaimStatus.CONTRADICTED, statusOf("Dunholm is the hometown of Orlen Vask."));
        assertEquals(ClaimStatus.CONTRADICTED, statusOf("Kelwick was founded in 1205."));
        assertEquals(ClaimStatus.CONSISTENT, statusOf("The founding of Kelwick took place in 1204."));
        assertEquals(ClaimStatus.CONSISTENT, statusOf("Orlen Vask works as a ferry captain."));
        assertEquals(ClaimStatus.CONTRADICTED, statusOf("Orlen Vask works as a ferry pilot."));
    }

    @Test
    void aClaimTheTableCannotCheckIsUnverifiable() {
        assertEquals(ClaimStatus.UNVERIFIABLE, statusOf("Zorbo Quint was born in Kelwick."), "invented person");
        assertEquals(ClaimStatus.UNVERIFIABLE, statusOf("Dunholm was born in Kelwick."), "a town is not born");
        CheckedClaim checked = reader.check(reader.completeClaims("Zorbo Quint was born in Kelwick.").get(0));
        assertNull(checked.entity());
        assertTrue(checked.explain().startsWith("unverifiable"), checked.explain());
    }

    @Test
    void aWrongValueOfAnotherKindContradicts() {
        assertEquals(ClaimStatus.CONTRADICTED, statusOf("Orlen Vask was born in Vandria."));
        assertEquals(ClaimStatus.CONTRADICTED, statusOf("Orlen Vask was born in Nowhereville."));
    }

    @Test
    void capitalisedWordsBeforeANameAreNotPartOfIt() {
        assertEquals(ClaimStatus.CONSISTENT, statusOf("Meanwhile Orlen Vask was born in Kelwick."));
        assertEquals(ClaimStatus.CONTRADICTED, statusOf("Meanwhile Orlen Vask was born in Dunholm."));
    }

    @Test
    void literalsMatchCaseInsensitivelyAcrossWhitespaceButNotInsideWords() {
        assertEquals(ClaimStatus.CONSISTENT, statusOf("and the capital of\nVandria   is Kelwick."));
        assertEquals(List.of(), reader.completeClaims("Orlen Vask was reborn in Kelwick."));
        assertEquals(ClaimStatus.UNVERIFIABLE, statusOf("MacOrlen Vask was born in Kelwick."),
                "a name never starts inside a word");
    }

    @Test
    void aNameCutAtTheTextStartMatchesTheNamesItEnds() {
        StatedClaim cut = reader.completeClaims("Vask was born in Dunholm.").get(0);
        assertEquals(Truncation.START, cut.entityTruncation());
        CheckedClaim checked = reader.check(cut);
        assertEquals(ClaimStatus.CONSISTENT, checked.status(), "Tamo Vask was born in Dunholm");
        assertEquals("Tamo Vask", checked.entity());
        CheckedClaim neither = reader.check(reader.completeClaims("  Vask was born in Vandria.").get(0));
        assertEquals(ClaimStatus.CONTRADICTED, neither.status());
        assertNull(neither.tableValue(), "two Vasks fit, so there is no single correction");
        assertEquals(ClaimStatus.UNVERIFIABLE, statusOf("Text. Vask was born in Dunholm."), "not at the start");
    }

    @Test
    void findsSentencesTheEndOfTheTextInterrupts() {
        List<StatedClaim> cut = reader.cutClaims("Fine. Orlen Vask was born in Dunholm");
        assertEquals(1, cut.size());
        assertFalse(cut.get(0).complete());
        assertEquals(Truncation.END, cut.get(0).valueTruncation());
        assertEquals(ClaimStatus.CONTRADICTED, reader.check(cut.get(0)).status());
        assertEquals(ClaimStatus.CONSISTENT, reader.check(reader.cutClaims("Orlen Vask was born in Kelw").get(0))
                .status(), "a value cut inside agrees with the value it starts");
        assertEquals(ClaimStatus.CONTRADICTED,
                reader.check(reader.cutClaims("Orlen Vask works for Marno Fabs").get(0)).status());
        assertEquals(ClaimStatus.CONSISTENT, reader.check(reader.cutClaims("Orlen Vask works for Marno ").get(0))
                .status(), "a name may go on after a space: Marno Foundry");
        assertEquals(ClaimStatus.CONSISTENT, reader.check(reader.cutClaims("Kelwick was founded in 12").get(0))
                .status(), "1204 starts with 12");
        assertEquals(ClaimStatus.CONTRADICTED, reader.check(reader.cutClaims("Kelwick was founded in 12 ").get(0))
                .status(), "a number followed by a space is whole");
        StatedClaim business = reader.cutClaims("Marno Foundry is a company in the salt mining busi").get(0);
        assertEquals("salt mining", business.value(), "the value is read as short as the rest of the text allows");
        assertEquals(ClaimStatus.CONSISTENT, reader.check(business).status());
        assertEquals(ClaimStatus.CONSISTENT, reader.check(reader.cutClaims("Marno Foundry is a company in the salt mi")
                .get(0)).status());
        assertEquals(ClaimStatus.CONTRADICTED, reader.check(reader.cutClaims(
                "Marno Foundry is a company in the brewing bus").get(0)).status());
        StatedClaim valueFirst = reader.cutClaims("Born in Dunholm, Orlen Vask spent a child").get(0);
        assertEquals(Truncation.NONE, valueFirst.valueTruncation(), "the value is followed by more text");
        assertEquals(ClaimStatus.CONTRADICTED, reader.check(valueFirst).status());
        assertEquals(List.of(), reader.cutClaims("Orlen Vask was born in Dunholm."), "complete, not cut");
        assertEquals(List.of(), reader.cutClaims("Orlen Vask was born in Dunholm and"), "not this template");
    }

    @Test
    void claimsOfAContinuationAreThoseWhoseValueItWrote() {
        String prefix = "Kelwick was founded in 1204. Orlen Vask was born";
        String text = prefix + " in Dunholm. Fine.";
        List<StatedClaim> claims = reader.completeClaimsWithValueAfter(text, prefix.length());
        assertEquals(1, claims.size());
        assertEquals("Dunholm", claims.get(0).value());
        String valueInPrefix = "Born in Dunholm, Orlen";
        assertEquals(List.of(), reader.completeClaimsWithValueAfter(
                valueInPrefix + " Vask spent a childhood by the river there.", valueInPrefix.length()));
    }
}
