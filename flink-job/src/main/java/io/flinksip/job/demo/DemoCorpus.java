package io.flinksip.job.demo;

import io.flinksip.model.DeterministicRng;

import java.util.ArrayList;
import java.util.List;

/**
 * A seeded generator of English-like documents about invented people and places, so the demo needs no download and
 * is the same on every machine. Each document introduces a few entities and then talks about them with consistent
 * attributes, which gives a small model real structure to learn (names recur, facts repeat within a document).
 */
public final class DemoCorpus {
    private static final String[] ONSETS = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
        "br", "dr", "kr", "st", "th", "sh"};
    private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ai", "ea", "ou"};
    private static final String[] PROFESSIONS = {"baker", "carpenter", "astronomer", "weaver", "ferry captain",
        "librarian", "beekeeper", "glassblower", "cartographer", "miller"};
    private static final String[] THINGS = {"bread", "tables", "star charts", "blankets", "crossings", "books",
        "honey", "lanterns", "maps", "flour"};
    private static final String[] TRAITS = {"patient", "cheerful", "careful", "stubborn", "generous", "quiet"};
    private static final String[] SEASONS = {"spring", "summer", "autumn", "winter"};
    private static final String[] WEATHER = {"rain", "fog", "wind", "snow", "sunshine"};

    private DemoCorpus() {
    }

    public static List<String> generate(long seed, int documents) {
        DeterministicRng rng = new DeterministicRng(seed);
        List<String> docs = new ArrayList<>(documents);
        for (int i = 0; i < documents; i++) {
            docs.add(document(rng));
        }
        return docs;
    }

    private static String document(DeterministicRng rng) {
        String town = capital(word(rng, 2)) + pick(rng, new String[] {"ford", "ham", "wick", "holm", "dale"});
        String person = capital(word(rng, 2));
        String friend = capital(word(rng, 2));
        int job = (int) (rng.nextDouble() * PROFESSIONS.length);
        String trait = pick(rng, TRAITS);
        int founded = 1200 + (int) (rng.nextDouble() * 700);
        int people = 200 + (int) (rng.nextDouble() * 9000);
        StringBuilder sb = new StringBuilder();
        sb.append(town).append(" is a small town by the river, founded in ").append(founded)
                .append(". About ").append(people).append(" people live there. ");
        sb.append(person).append(" is a ").append(trait).append(' ').append(PROFESSIONS[job]).append(" in ")
                .append(town).append(". ");
        int sentences = 4 + (int) (rng.nextDouble() * 6);
        for (int s = 0; s < sentences; s++) {
            switch ((int) (rng.nextDouble() * 6)) {
                case 0 -> sb.append("Every ").append(pick(rng, SEASONS)).append(", ").append(person)
                        .append(" makes ").append(THINGS[job]).append(" for the people of ").append(town).append(". ");
                case 1 -> sb.append(person).append(" and ").append(friend).append(" have been friends since ")
                        .append(founded + 600 + (int) (rng.nextDouble() * 100)).append(". ");
                case 2 -> sb.append("When the ").append(pick(rng, WEATHER)).append(" comes, ").append(friend)
                        .append(" helps ").append(person).append(" with the ").append(THINGS[job]).append(". ");
                case 3 -> sb.append("The ").append(PROFESSIONS[job]).append(" of ").append(town).append(" is known as ")
                        .append(trait).append(" and kind. ");
                case 4 -> sb.append("In ").append(pick(rng, SEASONS)).append(" the river near ").append(town)
                        .append(" is ").append(pick(rng, new String[] {"wide", "slow", "cold", "high"})).append(". ");
                default -> sb.append(friend).append(" says that ").append(person).append(" is the most ")
                        .append(trait).append(" ").append(PROFESSIONS[job]).append(" in ").append(town).append(". ");
            }
        }
        return sb.toString().trim();
    }

    private static String word(DeterministicRng rng, int syllables) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < syllables; i++) {
            sb.append(pick(rng, ONSETS)).append(pick(rng, VOWELS));
        }
        return sb.toString();
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String pick(DeterministicRng rng, String[] options) {
        return options[(int) (rng.nextDouble() * options.length)];
    }
}
