package io.flinksip.world;

import java.util.Objects;

/**
 * One way to state a fact in a sentence, e.g. {@code "{e} was born in {v}."}: {@code {e}} is the entity and
 * {@code {v}} the value, each exactly once. The same template renders claims in the generator and is compiled to a
 * pattern that finds them in the judges, so what the world writes is exactly what its judges can read.
 *
 * @param relation the relation the sentence states
 * @param phrasing which template set it belongs to
 * @param text the sentence with {@code {e}} and {@code {v}} placeholders
 */
public record ClaimTemplate(Relation relation, Phrasing phrasing, String text) {
    static final String ENTITY = "{e}";
    static final String VALUE = "{v}";

    public ClaimTemplate {
        Objects.requireNonNull(relation, "relation");
        Objects.requireNonNull(phrasing, "phrasing");
        if (count(text, ENTITY) != 1 || count(text, VALUE) != 1) {
            throw new IllegalArgumentException("a template needs {e} and {v} once each: " + text);
        }
    }

    private static int count(String text, String placeholder) {
        int count = 0;
        for (int at = text.indexOf(placeholder); at >= 0; at = text.indexOf(placeholder, at + 1)) {
            count++;
        }
        return count;
    }

    /** True when the value comes before the entity in the sentence. */
    public boolean valueFirst() {
        return text.indexOf(VALUE) < text.indexOf(ENTITY);
    }

    /** The sentence with both placeholders filled, and where the value landed in it. */
    public Rendered render(String entity, String value) {
        int entityAt = text.indexOf(ENTITY);
        int valueAt = text.indexOf(VALUE);
        String filled = text.replace(ENTITY, entity).replace(VALUE, value);
        int valueStart = valueAt < entityAt ? valueAt : valueAt - ENTITY.length() + entity.length();
        return new Rendered(filled, valueStart, valueStart + value.length());
    }

    /**
     * A rendered claim sentence.
     *
     * @param text the sentence
     * @param valueStart offset of the value in the sentence
     * @param valueEnd offset just past the value
     */
    public record Rendered(String text, int valueStart, int valueEnd) {
    }
}
