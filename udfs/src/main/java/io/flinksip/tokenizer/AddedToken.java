package io.flinksip.tokenizer;

/**
 * One entry of {@code added_tokens} in a Hugging Face {@code tokenizer.json}.
 *
 * @param id the token id
 * @param content the token string
 * @param special whether the file marks it special (skipped when decoding)
 */
record AddedToken(int id, String content, boolean special) {}
