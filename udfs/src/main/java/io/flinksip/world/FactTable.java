package io.flinksip.world;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ground truth of the reference world: (entity, relation, value) triples about invented entities. Judges check
 * stated claims against it, the rewriter corrects claims to it, and the document generator states its facts (and,
 * deliberately, wrong values for them).
 *
 * <p>Every relation is functional, so the table holds at most one value per (entity, relation). A name has exactly
 * one {@link Kind}, taken from the relations it appears in; that is how a claim about a town in a sentence pattern
 * meant for persons is recognised as unverifiable rather than false. Iteration orders are insertion orders, so
 * everything derived from a table is deterministic. Instances are immutable and safe to share between threads.
 */
public final class FactTable {
    private final List<Fact> facts;
    private final Map<String, Map<Relation, String>> valuesByEntity;
    private final Map<String, Kind> kinds;
    private final Map<Kind, List<String>> namesByKind;
    private final Map<String, List<Fact>> factsByValue;
    private final Map<String, List<String>> namesByWordSuffix;
    private final int maxNameWords;

    private FactTable(List<Fact> facts) {
        this.facts = List.copyOf(facts);
        Map<String, Map<Relation, String>> values = new LinkedHashMap<>();
        Map<String, Kind> kindOfName = new LinkedHashMap<>();
        Map<String, List<Fact>> byValue = new HashMap<>();
        for (Fact fact : this.facts) {
            Relation relation = fact.relation();
            register(kindOfName, fact.entity(), relation.subject());
            if (relation.object().isName()) {
                register(kindOfName, fact.value(), relation.object());
            }
            String previous = values.computeIfAbsent(fact.entity(), e -> new EnumMap<>(Relation.class))
                    .putIfAbsent(relation, fact.value());
            if (previous != null) {
                throw new IllegalArgumentException("two values for " + fact.entity() + " " + relation.id() + ": "
                        + previous + " and " + fact.value());
            }
            byValue.computeIfAbsent(fact.value(), v -> new ArrayList<>()).add(fact);
        }
        Map<Kind, List<String>> byKind = new EnumMap<>(Kind.class);
        Map<String, List<String>> bySuffix = new HashMap<>();
        int longest = 0;
        for (Map.Entry<String, Kind> entry : kindOfName.entrySet()) {
            String name = entry.getKey();
            byKind.computeIfAbsent(entry.getValue(), k -> new ArrayList<>()).add(name);
            String[] words = name.split(" ");
            longest = Math.max(longest, words.length);
            for (int from = 0; from < words.length; from++) {
                String suffix = String.join(" ", Arrays.copyOfRange(words, from, words.length));
                bySuffix.computeIfAbsent(suffix, s -> new ArrayList<>()).add(name);
            }
        }
        this.valuesByEntity = values;
        this.kinds = kindOfName;
        this.namesByKind = byKind;
        this.factsByValue = byValue;
        this.namesByWordSuffix = bySuffix;
        this.maxNameWords = longest;
    }

    private static void register(Map<String, Kind> kinds, String name, Kind kind) {
        if (!name.equals(Names.normalise(name)) || name.isEmpty()) {
            throw new IllegalArgumentException("names must be non-empty with single spaces: '" + name + "'");
        }
        Kind previous = kinds.putIfAbsent(name, kind);
        if (previous != null && previous != kind) {
            throw new IllegalArgumentException(name + " is both a " + previous + " and a " + kind);
        }
    }

    /**
     * Builds a table.
     *
     * @throws IllegalArgumentException if an (entity, relation) has two values, a name has two kinds, or a name is
     *     not whitespace-normalised
     */
    public static FactTable of(Collection<Fact> facts) {
        return new FactTable(new ArrayList<>(facts));
    }

    /** All facts, in the order they were given. */
    public List<Fact> facts() {
        return facts;
    }

    /** The table's value for an entity's relation; empty when the table does not know it. */
    public Optional<String> value(String entity, Relation relation) {
        Map<Relation, String> values = valuesByEntity.get(entity);
        return values == null ? Optional.empty() : Optional.ofNullable(values.get(relation));
    }

    /** The kind of a generated name (entity or language); empty for names the world does not contain. */
    public Optional<Kind> kindOf(String name) {
        return Optional.ofNullable(kinds.get(name));
    }

    /** The names of one kind, in order of first appearance. */
    public List<String> names(Kind kind) {
        return namesByKind.getOrDefault(kind, List.of());
    }

    /** Every generated name (entities and languages), in order of first appearance. */
    public Set<String> allNames() {
        return Collections.unmodifiableSet(kinds.keySet());
    }

    /** The facts whose subject is {@code entity}. */
    public List<Fact> factsAbout(String entity) {
        Map<Relation, String> values = valuesByEntity.get(entity);
        if (values == null) {
            return List.of();
        }
        List<Fact> about = new ArrayList<>(values.size());
        values.forEach((relation, value) -> about.add(new Fact(entity, relation, value)));
        return about;
    }

    /** The facts whose value is {@code name} (e.g. every person born in a town). */
    public List<Fact> factsWithValue(String name) {
        return factsByValue.getOrDefault(name, List.of());
    }

    /** The entities one fact away from {@code entity}, in either direction (languages and numbers excluded). */
    public Set<String> neighbours(String entity) {
        Set<String> neighbours = new LinkedHashSet<>();
        for (Fact fact : factsAbout(entity)) {
            if (fact.relation().object().isEntity()) {
                neighbours.add(fact.value());
            }
        }
        for (Fact fact : factsWithValue(entity)) {
            neighbours.add(fact.entity());
        }
        return neighbours;
    }

    /**
     * The names of {@code kind} whose last words are {@code words} (single-space separated), e.g. every person
     * named "… Vask" for {@code "Vask"}. Used where a text may have been cut inside a name.
     */
    public List<String> namesEndingWith(String words, Kind kind) {
        List<String> matches = new ArrayList<>();
        for (String name : namesByWordSuffix.getOrDefault(words, List.of())) {
            if (kinds.get(name) == kind) {
                matches.add(name);
            }
        }
        return matches;
    }

    /** The largest number of words in any name; bounds name look-ups in running text. */
    public int maxNameWords() {
        return maxNameWords;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FactTable table && facts.equals(table.facts);
    }

    @Override
    public int hashCode() {
        return facts.hashCode();
    }

    @Override
    public String toString() {
        return "FactTable[" + facts.size() + " facts, " + kinds.size() + " names]";
    }
}
