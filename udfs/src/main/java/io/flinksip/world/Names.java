package io.flinksip.world;

import java.util.regex.Pattern;

/** Spelling rules shared by everything that compares names and phrases found in running text. */
final class Names {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Names() {
    }

    /** Collapses every whitespace run to one space and trims, so "Orlen\n Vask" and "Orlen Vask" compare equal. */
    static String normalise(String text) {
        return WHITESPACE.matcher(text).replaceAll(" ").trim();
    }
}
