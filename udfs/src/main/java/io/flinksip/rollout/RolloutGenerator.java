package io.flinksip.rollout;

import io.flinksip.model.Continuation;
import io.flinksip.model.ContinuationSampler;
import io.flinksip.model.DeterministicRng;
import io.flinksip.model.LlamaModel;
import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.CandidateSet;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenIds;

import java.util.ArrayList;
import java.util.List;

/**
 * Appends K policy rollouts to each candidate set of a micro-batch, in one batched pass (the rollout stage's logic,
 * without Flink). Each rollout's seed mixes the configured seed, the sample's identity, the policy version and the
 * rollout index, so the same sample at the same version always gets the same rollouts.
 */
public final class RolloutGenerator {
    private final RolloutConfig config;
    private final TextTokenizer tokenizer;

    public RolloutGenerator(RolloutConfig config, TextTokenizer tokenizer) {
        this.config = config;
        this.tokenizer = tokenizer;
    }

    /** The sets with their rollouts appended, in input order. */
    public List<CandidateSet> generate(LlamaModel model, long version, List<CandidateSet> batch) {
        int k = config.rolloutsPerSample();
        List<int[]> prefixes = new ArrayList<>(batch.size());
        long[][] seeds = new long[batch.size()][k];
        for (int i = 0; i < batch.size(); i++) {
            var sample = batch.get(i).getSample();
            prefixes.add(TokenIds.unboxed(sample.getPrefixTokens()));
            for (int j = 0; j < k; j++) {
                seeds[i][j] = DeterministicRng.mix(config.seed(), sample.getDocId().hashCode(),
                        sample.getSampleIndex(), version, j);
            }
        }
        List<List<Continuation>> out = new ContinuationSampler(model).sample(prefixes, seeds, config.sampling());
        List<CandidateSet> result = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            CandidateSet set = batch.get(i);
            List<Candidate> candidates = new ArrayList<>(set.getCandidates());
            for (Continuation c : out.get(i)) {
                candidates.add(CandidateSets.rollout(set.getSample(), c.tokens(), c.logProbs(),
                        tokenizer.decode(c.tokens()), version, c.seed()));
            }
            result.add(CandidateSet.newBuilder(set).setCandidates(candidates).setPolicyVersion(version).build());
        }
        return result;
    }

    /** Tokens the rollouts of these sets hold. */
    public static long rolloutTokens(List<CandidateSet> sets) {
        long tokens = 0;
        for (CandidateSet s : sets) {
            for (Candidate c : s.getCandidates()) {
                if (c.getKind() == CandidateKind.ROLLOUT) {
                    tokens += c.getTokens().size();
                }
            }
        }
        return tokens;
    }
}
