package io.flinksip.world;

import java.util.Objects;

/** One row of the fact table: {@code entity relation value}, e.g. {@code Orlen Vask born_in Kelmora}. */
public record Fact(String entity, Relation relation, String value) {
    public Fact {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(relation, "relation");
        Objects.requireNonNull(value, "value");
    }
}
