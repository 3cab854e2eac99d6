package io.flinksip.world;

/**
 * Whether a name or value found in a text may be cut: a judged suffix is a fixed-length token window, so its first
 * and last words may be the tail or head of longer ones ("Vask" of "Orlen Vask", "Velm" of "Velmora").
 */
public enum Truncation {
    /** Whole: the text continues on both sides. */
    NONE,
    /** It starts where the text starts, so leading words may be missing. */
    START,
    /** It ends where the text ends, so trailing characters may be missing. */
    END
}
