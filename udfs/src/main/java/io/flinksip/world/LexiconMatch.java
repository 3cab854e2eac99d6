package io.flinksip.world;

/**
 * Where a text contains an unsafe phrase, or a fragment of one cut by the text's start or end.
 *
 * @param start offset of the first matched word
 * @param end offset just past the last matched word
 * @param phrase the lexicon phrase
 * @param truncation NONE for the whole phrase; START when the text starts inside the phrase; END when it ends inside
 */
public record LexiconMatch(int start, int end, LexiconPhrase phrase, Truncation truncation) {
}
