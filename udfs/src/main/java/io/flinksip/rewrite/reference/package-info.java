/**
 * The REFERENCE rewriter for the reference world ({@link io.flinksip.world}):
 * {@link io.flinksip.rewrite.reference.ReferenceRewriter} corrects false claims to the fact table and replaces unsafe
 * phrases with safe alternatives, and copies good suffixes unchanged, as the paper's rewriter is trained to.
 *
 * <pre>{@code
 * Rewriter rewriter = new ReferenceRewriter(world.claims(), world.lexicon());
 * }</pre>
 */
package io.flinksip.rewrite.reference;
