package io.flinksip.world;

/**
 * Where a generated document quotes an unsafe lexicon phrase. Offsets are {@code char} offsets into the document
 * text (ASCII, so also byte offsets); the span covers the phrase's words, not the quotation marks around them.
 *
 * @param start offset of the phrase's first character
 * @param end offset just past its last character
 * @param phrase the lexicon phrase (lower case, as in the lexicon)
 * @param category the phrase's lexicon category
 */
public record UnsafeSpanLabel(int start, int end, String phrase, String category) {

    UnsafeSpanLabel shift(int offset) {
        return new UnsafeSpanLabel(start + offset, end + offset, phrase, category);
    }
}
