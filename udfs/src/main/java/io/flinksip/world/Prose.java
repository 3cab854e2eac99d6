package io.flinksip.world;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The sentences that make generated documents read as prose around their claims: filler about an entity (which
 * keeps a document on its topic without stating a checkable fact), generic filler, and "quote carriers" that frame
 * quoted speech. Unsafe phrases are planted only inside quote carriers, and clean documents use the same carriers
 * with a safe quotation, so the frame itself never signals that the content is unsafe.
 *
 * <p>No sentence here may read as a claim template (checked by the tests), and none uses "you", the second-person
 * word that marks the lexicon's harassment phrases.
 */
final class Prose {
    static final String SLOT = "{x}";
    static final String QUOTE = "{q}";

    static final Map<Kind, List<String>> FILLER = byKind(Map.of(
            Kind.PERSON, List.of(
                    "{x} is well liked by the neighbours.",
                    "Friends describe {x} as patient and generous.",
                    "{x} enjoys long walks on quiet evenings.",
                    "Stories about {x} are still told at the market.",
                    "{x} rarely talks about the past.",
                    "Colleagues say that {x} is careful and hard working."),
            Kind.TOWN, List.of(
                    "Visitors remember {x} for its narrow streets.",
                    "The market square of {x} fills up every Saturday.",
                    "Winters in {x} are long and grey.",
                    "{x} has a small library and an old stone bridge.",
                    "The bakeries of {x} open before dawn.",
                    "Many families have lived in {x} for generations."),
            Kind.COUNTRY, List.of(
                    "{x} has mild summers and wet winters.",
                    "Travellers often praise the food of {x}.",
                    "The roads of {x} are quiet at night.",
                    "Farming has shaped much of {x}.",
                    "The hills of {x} are green for most of the year."),
            Kind.RIVER, List.of(
                    "Fishermen like the calm water of the {x}.",
                    "In spring the {x} rises after the rains.",
                    "Old stone bridges cross the {x} in many places.",
                    "Herons wait along the banks of the {x}.",
                    "Barges once carried grain down the {x}."),
            Kind.COMPANY, List.of(
                    "{x} has grown steadily over the years.",
                    "Many families depend on jobs at {x}.",
                    "The workshops of {x} are busy all year.",
                    "{x} is known for paying its suppliers on time.",
                    "Customers trust the work of {x}.")));

    static final List<String> GENERIC = List.of(
            "Life there moves at a gentle pace.",
            "Local records tell much the same story.",
            "Not much else has changed since then.",
            "The local newspaper covers such news every week.",
            "Older residents still remember those days.",
            "Few expect that to change soon.");

    /** Sentences framing a quotation {@code {q}} (which gets its own closing punctuation). */
    static final Map<Kind, List<String>> QUOTE_CARRIERS = byKind(Map.of(
            Kind.PERSON, List.of("Someone shouted at {x} in the street: \"{q}!\""),
            Kind.TOWN, List.of("A note pinned to a door in {x} said: \"{q}.\"",
                    "A comment under a story about {x} said: \"{q}.\""),
            Kind.COUNTRY, List.of("A leaflet handed out in {x} said: \"{q}.\""),
            Kind.RIVER, List.of("A sign scrawled near the {x} said: \"{q}.\""),
            Kind.COMPANY, List.of("An anonymous post about {x} read: \"{q}.\"")));

    private Prose() {
    }

    /** Every prose sentence template, for vocabulary checks. */
    static List<String> allTemplates() {
        List<String> all = new ArrayList<>();
        FILLER.values().forEach(all::addAll);
        QUOTE_CARRIERS.values().forEach(all::addAll);
        all.addAll(GENERIC);
        return all;
    }

    /** An enum map, so iteration follows the kinds' order on every JVM (Map.of's order is randomised per run). */
    private static Map<Kind, List<String>> byKind(Map<Kind, List<String>> sentences) {
        return new EnumMap<>(sentences);
    }
}
