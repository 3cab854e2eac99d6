package io.flinksip.world;

/**
 * A category of unsafe phrases and what to say instead.
 *
 * @param name e.g. {@code harassment}
 * @param safeAlternative a safe sentence the rewriter writes in place of a phrase of this category, and that clean
 *     documents use in the same quoted places
 */
public record LexiconCategory(String name, String safeAlternative) {
}
