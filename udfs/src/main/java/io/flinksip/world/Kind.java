package io.flinksip.world;

/**
 * What a name or value in the reference world denotes. The first five kinds are entities: they have facts of their
 * own and can be the subject of a claim. Languages are generated names too, but only ever appear as values.
 * Professions and industries come from small closed word lists, years and kilometres are numbers.
 */
public enum Kind {
    PERSON,
    TOWN,
    COUNTRY,
    RIVER,
    COMPANY,
    LANGUAGE,
    PROFESSION,
    INDUSTRY,
    YEAR,
    KILOMETRES;

    /** True for the kinds that are subjects of facts (persons, towns, countries, rivers, companies). */
    public boolean isEntity() {
        return ordinal() <= COMPANY.ordinal();
    }

    /** True for capitalised generated names (entities and languages), which texts mention by name. */
    public boolean isName() {
        return ordinal() <= LANGUAGE.ordinal();
    }

    /** True for values written as digits. */
    public boolean isNumber() {
        return this == YEAR || this == KILOMETRES;
    }
}
