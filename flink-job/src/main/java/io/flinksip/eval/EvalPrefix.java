package io.flinksip.eval;

/** A held-out prefix with its original suffix (the factuality reference and the perplexity target). */
public record EvalPrefix(String id, int[] prefixTokens, int[] suffixTokens, String prefixText, String suffixText) {
}
