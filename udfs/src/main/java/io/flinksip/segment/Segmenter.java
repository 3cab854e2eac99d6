package io.flinksip.segment;

import io.flinksip.model.DeterministicRng;
import io.flinksip.schema.Document;
import io.flinksip.schema.Sample;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenIds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a tokenized document into prefix | suffix samples. Split points are a pure function of the seed and the
 * document id, so a replayed document yields the same samples (exactly-once training depends on it).
 */
public final class Segmenter {
    private final SegmentConfig config;
    private final TextTokenizer tokenizer;

    public Segmenter(SegmentConfig config, TextTokenizer tokenizer) {
        this.config = config;
        this.tokenizer = tokenizer;
    }

    /** Samples of the document, in shard 0; empty when it is too short (the caller dead-letters it). */
    public List<Sample> segment(Document doc) {
        return segment(doc, 0);
    }

    /** Samples of the document, in the given ordered input shard; empty when it is too short. */
    public List<Sample> segment(Document doc, int shard) {
        int[] tokens = tokenizer.encode(doc.getText());
        int n = config.suffixTokens();
        int min = config.minPrefixTokens();
        List<Sample> out = new ArrayList<>();
        if (tokens.length < min + n) {
            return out;
        }
        long splitSeed = DeterministicRng.mix(config.seed(), doc.getId().hashCode(), doc.getId().length());
        if (config.policy() == SegmentConfig.SplitPolicy.RANDOM_ONE) {
            int choices = tokens.length - n - min + 1;
            int split = min + (int) Long.remainderUnsigned(new DeterministicRng(splitSeed).nextLong(), choices);
            out.add(sample(doc, 0, tokens, split, splitSeed, shard));
        } else {
            int index = 0;
            for (int split = Math.max(min, n); split + n <= tokens.length; split += n) {
                out.add(sample(doc, index++, tokens, split, splitSeed, shard));
            }
        }
        return out;
    }

    private Sample sample(Document doc, int index, int[] tokens, int split, long splitSeed, int shard) {
        int from = Math.max(0, split - config.maxPrefixTokens());
        return Sample.newBuilder()
                .setDocId(doc.getId())
                .setSampleIndex(index)
                .setShard(shard)
                .setPrefixTokens(TokenIds.boxed(Arrays.copyOfRange(tokens, from, split)))
                .setSuffixTokens(TokenIds.boxed(Arrays.copyOfRange(tokens, split, split + config.suffixTokens())))
                .setEventTimeMillis(doc.getEventTimeMillis())
                .setSplitSeed(splitSeed)
                .build();
    }
}
