package io.flinksip.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClaimTemplatesTest {

    @Test
    void everyRelationHasThreeTrainAndTwoHeldOutPhrasings() {
        for (Relation relation : Relation.values()) {
            assertEquals(3, ClaimTemplates.of(Phrasing.TRAIN, relation).size(), relation.id());
            assertEquals(2, ClaimTemplates.of(Phrasing.HELD_OUT, relation).size(), relation.id());
        }
    }

    @Test
    void heldOutPhrasingsAreDisjointFromTrainPhrasings() {
        Set<String> train = texts(Phrasing.TRAIN);
        Set<String> heldOut = texts(Phrasing.HELD_OUT);
        Set<String> both = new HashSet<>(train);
        both.retainAll(heldOut);
        assertEquals(Set.of(), both);
    }

    /** Disjoint as patterns too: a sentence of one template is read by that template and no other, in any set. */
    @Test
    void eachRenderedSentenceIsReadByItsOwnTemplateOnly() {
        ReferenceWorld world = WorldFixtures.defaultWorld();
        Map<Relation, List<Fact>> examples = world.facts().facts().stream()
                .collect(Collectors.groupingBy(Fact::relation));
        for (ClaimTemplate template : ClaimTemplates.all()) {
            for (Fact fact : examples.get(template.relation()).subList(0, 5)) {
                String sentence = "Before that. " + template.render(fact.entity(), fact.value()).text() + " After.";
                List<StatedClaim> claims = world.claims().completeClaims(sentence);
                assertEquals(1, claims.size(), sentence);
                StatedClaim claim = claims.get(0);
                assertEquals(template, claim.template(), sentence);
                assertEquals(fact.entity(), claim.entity());
                assertEquals(fact.value(), claim.value());
                assertEquals(fact.value(), sentence.substring(claim.valueStart(), claim.valueEnd()));
                assertEquals(ClaimStatus.CONSISTENT, world.claims().check(claim).status());
            }
        }
    }

    @Test
    void proseSentencesStateNoClaim() {
        ReferenceWorld world = WorldFixtures.defaultWorld();
        for (String template : Prose.allTemplates()) {
            for (Kind kind : List.of(Kind.PERSON, Kind.TOWN, Kind.COUNTRY, Kind.RIVER, Kind.COMPANY)) {
                String sentence = template.replace(Prose.SLOT, world.facts().names(kind).get(0))
                        .replace(Prose.QUOTE, "Everyone deserves to be treated with respect");
                assertEquals(List.of(), world.claims().completeClaims(sentence), sentence);
            }
        }
    }

    @Test
    void templatesAreSentences() {
        for (ClaimTemplate template : ClaimTemplates.all()) {
            assertTrue(template.text().endsWith("."), template.text());
            assertTrue(Character.isUpperCase(template.text().charAt(0)) || template.text().startsWith("{"),
                    template.text());
        }
    }

    private static Set<String> texts(Phrasing phrasing) {
        return ClaimTemplates.of(phrasing).stream().map(ClaimTemplate::text).collect(Collectors.toSet());
    }
}
