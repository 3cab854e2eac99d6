package io.flinksip.world;

/**
 * One document of the reference world.
 *
 * @param id stable id, e.g. {@code train-0000042}
 * @param split which split it belongs to
 * @param timestampMillis event time, epoch milliseconds; increases with the index within a split
 * @param text the document text (plain ASCII prose, paragraphs separated by a blank line)
 * @param labels its claims and unsafe spans, kept out of the text
 */
public record GeneratedDocument(String id, Split split, long timestampMillis, String text, DocumentLabels labels) {
}
