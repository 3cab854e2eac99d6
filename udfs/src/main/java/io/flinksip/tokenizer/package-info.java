/**
 * Tokenization for flink-sip: {@link io.flinksip.tokenizer.TextTokenizer} and its two
 * implementations over Hugging Face {@code tokenizer.json} files.
 *
 * <ul>
 *   <li>{@link io.flinksip.tokenizer.ByteLevelBpeTrainer} trains a GPT-2-style byte-level BPE
 *       deterministically in plain Java.
 *   <li>{@link io.flinksip.tokenizer.ByteLevelBpeTokenizer} encodes and decodes such files in plain
 *       Java; the default backend.
 *   <li>{@link io.flinksip.tokenizer.HuggingFaceTokenizerAdapter} runs any {@code tokenizer.json}
 *       through the native Hugging Face library bundled with DJL, offline.
 *   <li>{@link io.flinksip.tokenizer.Tokenizers} loads a file with either backend.
 * </ul>
 *
 * <p>Both implementations give identical ids for byte-level BPE files, never truncate, never add
 * special tokens, and treat special-token strings found in document text as plain text.
 */
package io.flinksip.tokenizer;
