package io.flinksip.learn;

import io.flinksip.model.DeterministicRng;
import io.flinksip.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The batches of next-token pretraining: documents encoded and packed into one stream, each followed by EOS, and
 * batches of random windows of it. The demo and the experiment's initial-policy pretraining both train on these.
 */
public final class PackedTokenStream {
    private final int[] tokens;

    private PackedTokenStream(int[] tokens) {
        this.tokens = tokens;
    }

    public static PackedTokenStream of(TextTokenizer tokenizer, List<String> documents) {
        int total = 0;
        List<int[]> encoded = new ArrayList<>(documents.size());
        for (String d : documents) {
            int[] ids = tokenizer.encode(d);
            encoded.add(ids);
            total += ids.length + 1;
        }
        int[] stream = new int[total];
        int pos = 0;
        for (int[] ids : encoded) {
            System.arraycopy(ids, 0, stream, pos, ids.length);
            pos += ids.length;
            stream[pos++] = tokenizer.eosTokenId();
        }
        return new PackedTokenStream(stream);
    }

    public int length() {
        return tokens.length;
    }

    /** {@code count} windows of {@code length} tokens at random offsets (the usual packed-sequence batch). */
    public List<int[]> windows(int count, int length, DeterministicRng rng) {
        if (tokens.length <= length) {
            throw new IllegalArgumentException("a corpus of " + tokens.length + " tokens is too small for sequences of "
                    + length + " tokens");
        }
        List<int[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int start = (int) (rng.nextDouble() * (tokens.length - length));
            out.add(Arrays.copyOfRange(tokens, start, start + length));
        }
        return out;
    }
}
