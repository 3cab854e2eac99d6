package io.flinksip.rollout;

import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.Sample;
import io.flinksip.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Opens a sample's candidate set: the original suffix first, then the rewrite when there is one. */
public final class CandidateSets {
    private CandidateSets() {
    }

    /**
     * @param rewrite the rewritten suffix text, or null
     * @param maxRewriteTokens rewrites longer than this are cut (the paper keeps a rewrite at the suffix's length)
     */
    public static CandidateSet open(Sample sample, String prefixText, String suffixText, String rewrite,
                                    TextTokenizer tokenizer, int maxRewriteTokens) {
        List<Candidate> candidates = new ArrayList<>(2);
        candidates.add(suffix(sample, suffixText));
        if (rewrite != null) {
            int[] ids = tokenizer.encode(rewrite);
            int n = Math.min(ids.length, maxRewriteTokens);
            List<Integer> tokens = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tokens.add(ids[i]);
            }
            String text = n == ids.length ? rewrite : tokenizer.decode(Arrays.copyOf(ids, n));
            candidates.add(candidate(sample, CandidateKind.REWRITE, tokens, text));
        }
        return CandidateSet.newBuilder()
                .setSample(sample)
                .setPrefixText(prefixText)
                .setCandidates(candidates)
                .setPolicyVersion(-1)
                .build();
    }

    /**
     * The set with the rewrite second (after the original suffix, before the rollouts), cut to
     * {@code maxRewriteTokens} tokens; the set itself when there is no rewrite.
     */
    public static CandidateSet withRewrite(CandidateSet set, String rewrite, TextTokenizer tokenizer,
                                           int maxRewriteTokens) {
        if (rewrite == null) {
            return set;
        }
        CandidateSet rewritten = open(set.getSample(), set.getPrefixText(), set.getCandidates().get(0).getText(),
                rewrite, tokenizer, maxRewriteTokens);
        List<Candidate> candidates = new ArrayList<>(rewritten.getCandidates());
        candidates.addAll(set.getCandidates().subList(1, set.getCandidates().size()));
        return CandidateSet.newBuilder(set).setCandidates(candidates).build();
    }

    /** The sample's own suffix as a candidate (first in every set; the NTP baseline's only one). */
    public static Candidate suffix(Sample s, String text) {
        return candidate(s, CandidateKind.SUFFIX, s.getSuffixTokens(), text);
    }

    /** A continuation the policy of {@code version} sampled with {@code seed}, with its tokens' log-probabilities. */
    public static Candidate rollout(Sample s, int[] tokens, float[] logProbs, String text, long version, long seed) {
        List<Integer> ids = new ArrayList<>(tokens.length);
        List<Float> lp = new ArrayList<>(tokens.length);
        for (int t = 0; t < tokens.length; t++) {
            ids.add(tokens[t]);
            lp.add(logProbs[t]);
        }
        return Candidate.newBuilder(candidate(s, CandidateKind.ROLLOUT, ids, text)).setPolicyVersion(version)
                .setSamplingSeed(seed).setTokenLogProbs(lp).build();
    }

    static Candidate candidate(Sample s, CandidateKind kind, List<Integer> tokens, String text) {
        return Candidate.newBuilder()
                .setDocId(s.getDocId())
                .setSampleIndex(s.getSampleIndex())
                .setKind(kind)
                .setTokens(tokens)
                .setText(text)
                .setPolicyVersion(-1)
                .setSamplingSeed(0)
                .setTokenLogProbs(List.of())
                .build();
    }
}
