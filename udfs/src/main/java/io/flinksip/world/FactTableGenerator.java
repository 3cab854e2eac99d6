package io.flinksip.world;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Draws a consistent fact table: every entity gets every relation of its kind, and the values agree with each
 * other where the world needs it (every country has at least one town, and its capital is one of its towns).
 */
final class FactTableGenerator {
    /** Consonant-initial only: a corrected profession never needs "an" instead of "a" (see {@link ClaimTemplates}). */
    static final List<String> PROFESSIONS = List.of("baker", "carpenter", "cartographer", "weaver", "ferry captain",
            "librarian", "beekeeper", "glassblower", "miller", "potter", "tailor", "blacksmith", "printer", "nurse",
            "teacher", "surveyor", "clockmaker", "bookbinder", "shepherd", "lock keeper");
    static final List<String> INDUSTRIES = List.of("textiles", "shipbuilding", "glassmaking", "printing", "brewing",
            "timber", "fishing", "milling", "pottery", "salt mining", "rope making", "banking");
    static final int FIRST_YEAR = 1000;
    static final int LAST_YEAR = 1899;
    static final int SHORTEST_RIVER_KM = 40;
    static final int LONGEST_RIVER_KM = 2400;

    private FactTableGenerator() {
    }

    static FactTable generate(WorldConfig config, UnsafeLexicon lexicon) {
        Random random = Seeds.random(config.seed(), 1);
        NameGenerator names = new NameGenerator(random, proseWords(lexicon));
        List<String> countries = new ArrayList<>();
        List<String> languages = new ArrayList<>();
        for (int i = 0; i < config.countries(); i++) {
            String[] pair = names.countryAndLanguage();
            countries.add(pair[0]);
            languages.add(pair[1]);
        }
        List<String> towns = new ArrayList<>();
        List<String> townCountry = new ArrayList<>();
        for (int i = 0; i < config.towns(); i++) {
            towns.add(names.town());
            townCountry.add(i < countries.size() ? countries.get(i) : pick(random, countries));
        }
        List<Fact> facts = new ArrayList<>();
        for (int c = 0; c < countries.size(); c++) {
            String country = countries.get(c);
            List<String> own = new ArrayList<>();
            for (int t = 0; t < towns.size(); t++) {
                if (townCountry.get(t).equals(country)) {
                    own.add(towns.get(t));
                }
            }
            facts.add(new Fact(country, Relation.CAPITAL, pick(random, own)));
            facts.add(new Fact(country, Relation.OFFICIAL_LANGUAGE, languages.get(c)));
        }
        for (int t = 0; t < towns.size(); t++) {
            facts.add(new Fact(towns.get(t), Relation.LOCATED_IN, townCountry.get(t)));
            facts.add(new Fact(towns.get(t), Relation.FOUNDED_YEAR, Integer.toString(year(random))));
        }
        for (int i = 0; i < config.rivers(); i++) {
            String river = names.river();
            facts.add(new Fact(river, Relation.FLOWS_THROUGH, pick(random, countries)));
            facts.add(new Fact(river, Relation.LENGTH_KM, Integer.toString(riverLength(random))));
        }
        List<String> companies = new ArrayList<>();
        for (int i = 0; i < config.companies(); i++) {
            String company = names.company();
            companies.add(company);
            facts.add(new Fact(company, Relation.HEADQUARTERED_IN, pick(random, towns)));
            facts.add(new Fact(company, Relation.INDUSTRY, pick(random, INDUSTRIES)));
        }
        for (int i = 0; i < config.persons(); i++) {
            String person = names.person();
            facts.add(new Fact(person, Relation.BORN_IN, pick(random, towns)));
            facts.add(new Fact(person, Relation.PROFESSION, pick(random, PROFESSIONS)));
            facts.add(new Fact(person, Relation.WORKS_FOR, pick(random, companies)));
        }
        return FactTable.of(facts);
    }

    static int year(Random random) {
        return FIRST_YEAR + random.nextInt(LAST_YEAR - FIRST_YEAR + 1);
    }

    static int riverLength(Random random) {
        return SHORTEST_RIVER_KM + random.nextInt(LONGEST_RIVER_KM - SHORTEST_RIVER_KM + 1);
    }

    /** Every lower-case word the world's own sentences and word lists use; names must avoid them. */
    static Set<String> proseWords(UnsafeLexicon lexicon) {
        Set<String> words = new HashSet<>();
        for (ClaimTemplate template : ClaimTemplates.all()) {
            words.addAll(Words.texts(template.text()));
        }
        for (String sentence : Prose.allTemplates()) {
            words.addAll(Words.texts(sentence));
        }
        for (LexiconPhrase phrase : lexicon.phrases()) {
            words.addAll(phrase.words());
        }
        for (LexiconCategory category : lexicon.categories()) {
            words.addAll(Words.texts(category.safeAlternative()));
        }
        PROFESSIONS.forEach(p -> words.addAll(Words.texts(p)));
        INDUSTRIES.forEach(i -> words.addAll(Words.texts(i)));
        return words;
    }

    private static <T> T pick(Random random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
