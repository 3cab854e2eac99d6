package io.flinksip.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.Utils;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@link TextTokenizer} over the native Hugging Face tokenizers library, through DJL. Loads any
 * local {@code tokenizer.json} (BPE, WordPiece, Unigram, ...), not just byte-level BPE.
 *
 * <p>DJL's defaults are wrong for streaming pretraining and are all overridden: it truncates to 512
 * tokens, pads, and adds the model's special tokens; here truncation and padding are off and
 * nothing is added.
 *
 * <p>Hugging Face also matches {@code added_tokens} inside the input text regardless of those
 * options, so a document containing {@code <|endoftext|>} would yield the real EOS id; the bundled
 * library (tokenizers 0.21) offers no switch for this through DJL. The adapter therefore hands the
 * native library a copy of the file without the special entries of {@code added_tokens}:
 * special-token strings are then tokenized as plain text, as in {@link ByteLevelBpeTokenizer}, and
 * special ids are dropped here before decoding.
 *
 * <p>Nothing is downloaded: the file is read locally, the native library comes from the DJL jar,
 * and DJL's offline mode (which also suppresses its telemetry request) is switched on if the
 * process has not configured it.
 */
public final class HuggingFaceTokenizerAdapter implements TextTokenizer {

    private static final Logger LOG = LoggerFactory.getLogger(HuggingFaceTokenizerAdapter.class);

    private static final Map<String, String> OPTIONS =
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final List<String> tokensById;
    private final boolean[] special;
    private final SpecialTokenIds specialIds;

    private HuggingFaceTokenizerAdapter(
            HuggingFaceTokenizer tokenizer,
            List<String> tokensById,
            List<AddedToken> addedTokens,
            SpecialTokenIds specialIds) {
        this.tokenizer = tokenizer;
        this.tokensById = tokensById;
        this.specialIds = specialIds;
        this.special = new boolean[tokensById.size()];
        addedTokens.forEach(token -> special[token.id()] = token.special());
    }

    /**
     * Loads a local {@code tokenizer.json}.
     *
     * @throws IllegalArgumentException if no special added token has an EOS name (see {@link
     *     SpecialTokenIds#resolve})
     */
    public static HuggingFaceTokenizerAdapter load(Path tokenizerJson) throws IOException {
        TokenizerJsonFile file = TokenizerJsonFile.read(tokenizerJson);
        List<AddedToken> addedTokens = file.addedTokens();
        SpecialTokenIds specialIds = SpecialTokenIds.resolve(addedTokens);
        ensureOffline();
        byte[] json = file.withoutSpecialAddedTokens().getBytes(StandardCharsets.UTF_8);
        HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), OPTIONS);
        return new HuggingFaceTokenizerAdapter(
                tokenizer, file.tokensById(), addedTokens, specialIds);
    }

    private static void ensureOffline() {
        if (!Utils.isOfflineMode()) {
            LOG.info(
                    "Switching DJL to offline mode (ai.djl.offline=true): tokenizers load locally");
            System.setProperty("ai.djl.offline", "true");
        }
    }

    @Override
    public int[] encode(String text) {
        long[] ids =
                tokenizer.encode(LossyUtf8.replaceUnpairedSurrogates(text), false, false).getIds();
        int[] result = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            result[i] = Math.toIntExact(ids[i]);
        }
        return result;
    }

    @Override
    public String decode(int[] ids) {
        long[] kept = new long[ids.length];
        int count = 0;
        for (int id : ids) {
            checkId(id);
            if (!special[id]) {
                kept[count++] = id;
            }
        }
        return tokenizer.decode(Arrays.copyOf(kept, count), true);
    }

    @Override
    public int vocabSize() {
        return tokensById.size();
    }

    @Override
    public int eosTokenId() {
        return specialIds.eos();
    }

    @Override
    public int padTokenId() {
        return specialIds.pad();
    }

    @Override
    public String tokenToString(int id) {
        checkId(id);
        return tokensById.get(id);
    }

    private void checkId(int id) {
        if (id < 0 || id >= tokensById.size() || tokensById.get(id) == null) {
            throw new IllegalArgumentException(
                    "Token id " + id + " is not in the vocabulary of size " + tokensById.size());
        }
    }

    /** Frees the native tokenizer. */
    @Override
    public void close() {
        tokenizer.close();
    }
}
