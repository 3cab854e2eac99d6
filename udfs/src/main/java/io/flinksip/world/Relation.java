package io.flinksip.world;

import java.util.Locale;

/**
 * The relations of the reference world's fact table. Every relation is functional (one value per subject), so a
 * stated value is either the table's value or contradicts it; that is what makes every claim checkable.
 */
public enum Relation {
    BORN_IN(Kind.PERSON, Kind.TOWN),
    PROFESSION(Kind.PERSON, Kind.PROFESSION),
    WORKS_FOR(Kind.PERSON, Kind.COMPANY),
    LOCATED_IN(Kind.TOWN, Kind.COUNTRY),
    FOUNDED_YEAR(Kind.TOWN, Kind.YEAR),
    HEADQUARTERED_IN(Kind.COMPANY, Kind.TOWN),
    INDUSTRY(Kind.COMPANY, Kind.INDUSTRY),
    FLOWS_THROUGH(Kind.RIVER, Kind.COUNTRY),
    LENGTH_KM(Kind.RIVER, Kind.KILOMETRES),
    CAPITAL(Kind.COUNTRY, Kind.TOWN),
    OFFICIAL_LANGUAGE(Kind.COUNTRY, Kind.LANGUAGE);

    private final Kind subject;
    private final Kind object;

    Relation(Kind subject, Kind object) {
        this.subject = subject;
        this.object = object;
    }

    /** The kind of entity the relation is about. */
    public Kind subject() {
        return subject;
    }

    /** The kind of the relation's value. */
    public Kind object() {
        return object;
    }

    /** The relation's name in files, e.g. {@code born_in}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()}. */
    public static Relation fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
