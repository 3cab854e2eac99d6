package io.flinksip.backend.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.flinksip.world.Fact;
import io.flinksip.world.FactTable;
import io.flinksip.world.Kind;
import io.flinksip.world.Relation;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorldTokenizerTest {
    private final WorldTokenizer tokenizer = new WorldTokenizer(FactTable.of(List.of(
            new Fact("Orlen Vask", Relation.BORN_IN, "Kelwick"),
            new Fact("Vandria", Relation.OFFICIAL_LANGUAGE, "Vandric"))));

    private List<String> forms(String text) {
        return tokenizer.tokens(text).stream().map(WorldToken::form).toList();
    }

    @Test
    void namesBecomeClassesNumbersBecomeNumAndWordsAreLowerCased() {
        assertEquals(List.of("<person>", "was", "born", "in", "<town>", ",", "in", "<num>", "."),
                forms("Orlen Vask was born in Kelwick, in 1204."));
        WorldToken person = tokenizer.tokens("Orlen Vask").get(0);
        assertEquals("Orlen Vask", person.entity());
        assertEquals(Kind.PERSON, person.kind());
        WorldToken language = tokenizer.tokens("Vandric").get(0);
        assertEquals("<language>", language.form());
        assertNull(language.entity(), "a language is a name but not an entity");
    }

    @Test
    void aNameIsOnlyWordsSeparatedBySpaces() {
        assertEquals(List.of("orlen", ",", "vask"), forms("Orlen, Vask"));
        assertEquals(List.of("orlen", "-", "vask"), forms("Orlen-Vask"));
        assertEquals(List.of("<person>"), forms("Orlen \n Vask"));
        assertEquals(List.of("orlen"), forms("Orlen"), "part of a name is not the name");
    }

    @Test
    void nonAsciiTextTokenizes() {
        assertEquals(List.of("naïve", "café", "東京", "☃", "e\u0301t\u00e9"), forms("Naïve café 東京☃ e\u0301t\u00e9"));
    }
}
