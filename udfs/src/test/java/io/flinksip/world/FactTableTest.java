package io.flinksip.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactTableTest {
    private static final List<Fact> SMALL = List.of(
            new Fact("Vandria", Relation.CAPITAL, "Kelwick"),
            new Fact("Kelwick", Relation.LOCATED_IN, "Vandria"),
            new Fact("Orlen Vask", Relation.BORN_IN, "Kelwick"),
            new Fact("Tamo Vask", Relation.BORN_IN, "Kelwick"),
            new Fact("Orlen Vask", Relation.PROFESSION, "baker"));

    @Test
    void answersValuesKindsAndNeighbours() {
        FactTable table = FactTable.of(SMALL);
        assertEquals(Optional.of("Kelwick"), table.value("Orlen Vask", Relation.BORN_IN));
        assertEquals(Optional.empty(), table.value("Orlen Vask", Relation.WORKS_FOR));
        assertEquals(Optional.empty(), table.value("Nobody", Relation.BORN_IN));
        assertEquals(Optional.of(Kind.TOWN), table.kindOf("Kelwick"));
        assertEquals(Optional.empty(), table.kindOf("baker"), "closed-vocabulary values are not names");
        assertEquals(Set.of("Vandria", "Orlen Vask", "Tamo Vask"), table.neighbours("Kelwick"));
        assertEquals(Set.of("Kelwick"), table.neighbours("Orlen Vask"));
        assertEquals(List.of("Orlen Vask", "Tamo Vask"), table.namesEndingWith("Vask", Kind.PERSON));
        assertEquals(List.of(), table.namesEndingWith("Vask", Kind.TOWN));
        assertEquals(2, table.maxNameWords());
        assertEquals(2, table.factsWithValue("Kelwick").stream()
                .filter(f -> f.relation() == Relation.BORN_IN).count());
    }

    @Test
    void rejectsTwoValuesForOneFactAndTwoKindsForOneName() {
        assertThrows(IllegalArgumentException.class, () -> FactTable.of(List.of(
                new Fact("Orlen Vask", Relation.BORN_IN, "Kelwick"),
                new Fact("Orlen Vask", Relation.BORN_IN, "Dunholm"))));
        assertThrows(IllegalArgumentException.class, () -> FactTable.of(List.of(
                new Fact("Kelwick", Relation.LOCATED_IN, "Vandria"),
                new Fact("Kelwick", Relation.BORN_IN, "Dunholm"))), "a town is not a person");
        assertThrows(IllegalArgumentException.class, () -> FactTable.of(List.of(
                new Fact("Orlen  Vask", Relation.BORN_IN, "Kelwick"))), "names are whitespace-normalised");
    }

    @Test
    void generatedTableIsCompleteAndConsistent() {
        ReferenceWorld world = WorldFixtures.defaultWorld();
        FactTable table = world.facts();
        WorldConfig config = world.config();
        assertEquals(config.persons(), table.names(Kind.PERSON).size());
        assertEquals(config.towns(), table.names(Kind.TOWN).size());
        assertEquals(config.countries(), table.names(Kind.COUNTRY).size());
        assertEquals(config.rivers(), table.names(Kind.RIVER).size());
        assertEquals(config.companies(), table.names(Kind.COMPANY).size());
        assertEquals(config.countries(), table.names(Kind.LANGUAGE).size());
        for (Kind kind : EnumSet.of(Kind.PERSON, Kind.TOWN, Kind.COUNTRY, Kind.RIVER, Kind.COMPANY)) {
            for (String entity : table.names(kind)) {
                for (Relation relation : Relation.values()) {
                    assertEquals(relation.subject() == kind, table.value(entity, relation).isPresent(),
                            entity + " " + relation);
                }
            }
        }
        for (String country : table.names(Kind.COUNTRY)) {
            String capital = table.value(country, Relation.CAPITAL).orElseThrow();
            assertEquals(Optional.of(country), table.value(capital, Relation.LOCATED_IN), "capital lies in " + country);
        }
    }

    @Test
    void generatedNamesAreInventedAndNeverProseWords() {
        ReferenceWorld world = WorldFixtures.defaultWorld();
        Set<String> prose = FactTableGenerator.proseWords(world.lexicon());
        Set<String> seen = new HashSet<>();
        for (String name : world.facts().allNames()) {
            assertTrue(seen.add(name), "unique: " + name);
            assertTrue(name.matches("[A-Z][a-z]+( [A-Z][a-z]+)?"), "capitalised letters only: " + name);
            for (String word : name.split(" ")) {
                assertFalse(prose.contains(word.toLowerCase()), name + " reuses a prose word");
            }
        }
    }

    @Test
    void sameSeedSameTableOtherSeedOtherTable() {
        WorldConfig config = WorldConfig.defaults();
        assertEquals(WorldFixtures.defaultWorld().facts(), ReferenceWorld.generate(config).facts());
        assertFalse(WorldFixtures.defaultWorld().facts().equals(
                ReferenceWorld.generate(config.withSeed(config.seed() + 1)).facts()));
    }

    @Test
    void tsvRoundTripsAndReportsBrokenLines(@TempDir Path dir) throws IOException {
        FactTable table = WorldFixtures.defaultWorld().facts();
        Path file = dir.resolve(FactTableFile.NAME);
        FactTableFile.write(table, file);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals("entity\trelation\tvalue", lines.get(0));
        assertEquals(table.facts().size() + 1, lines.size());
        assertEquals(table, FactTableFile.read(file));

        Files.writeString(file, "entity\trelation\tvalue\nOrlen Vask\tborn_in\n");
        IOException fields = assertThrows(IOException.class, () -> FactTableFile.read(file));
        assertTrue(fields.getMessage().contains(":2:"), fields.getMessage());
        Files.writeString(file, "entity\trelation\tvalue\nOrlen Vask\tdied_in\tKelwick\n");
        assertThrows(IOException.class, () -> FactTableFile.read(file));
        Files.writeString(file, "who\twhat\n");
        assertThrows(IOException.class, () -> FactTableFile.read(file));
    }
}
