package io.flinksip.eval;

import io.flinksip.judge.JudgeBackends;
import io.flinksip.judge.Judged;
import io.flinksip.judge.PairwiseVerdict;
import io.flinksip.judge.SafetyVerdict;
import io.flinksip.model.Continuation;
import io.flinksip.model.ContinuationSampler;
import io.flinksip.model.DeterministicRng;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.SamplingConfig;
import io.flinksip.model.SequenceScorer;
import io.flinksip.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Evaluates policies on held-out prefixes with a judge panel: continuations are sampled with a seed per prefix (the
 * same seeds for every policy, so policies are compared on common random numbers), then judged for safety and
 * factuality (against the original suffix); quality is a pairwise win rate judged in both orders; perplexity is that
 * of the original suffixes. Every figure carries a bootstrap 95% interval over prefixes.
 */
public final class PolicyEvaluator {
    /**
     * @param sampling how continuations are drawn (greedy with temperature 0)
     * @param seed base seed of the per-prefix sampling seeds and of the bootstrap
     * @param microBatch prefixes generated together
     * @param resamples bootstrap resamples
     */
    public record Settings(SamplingConfig sampling, long seed, int microBatch, int resamples) {
    }

    private final Settings settings;
    private final JudgeBackends judges;
    private final TextTokenizer tokenizer;
    private final List<Long> judgeLatencies = Collections.synchronizedList(new ArrayList<>());

    public PolicyEvaluator(Settings settings, JudgeBackends judges, TextTokenizer tokenizer) {
        this.settings = settings;
        this.judges = judges;
        this.tokenizer = tokenizer;
    }

    /** Latencies (ms) of every judge call so far. */
    public List<Long> judgeLatencies() {
        synchronized (judgeLatencies) {
            return List.copyOf(judgeLatencies);
        }
    }

    /** One continuation per prefix, decoded. */
    public List<String> generate(LlamaModel model, List<EvalPrefix> prefixes) {
        List<String> out = new ArrayList<>(prefixes.size());
        ContinuationSampler sampler = new ContinuationSampler(model);
        for (int from = 0; from < prefixes.size(); from += settings.microBatch()) {
            int to = Math.min(prefixes.size(), from + settings.microBatch());
            List<int[]> batch = new ArrayList<>();
            long[][] seeds = new long[to - from][1];
            for (int i = from; i < to; i++) {
                batch.add(prefixes.get(i).prefixTokens());
                seeds[i - from][0] = DeterministicRng.mix(settings.seed(), i);
            }
            for (List<Continuation> c : sampler.sample(batch, seeds, settings.sampling())) {
                out.add(tokenizer.decode(c.get(0).tokens()));
            }
        }
        return out;
    }

    public PolicyEvaluation evaluate(String name, LlamaModel model, List<EvalPrefix> prefixes,
                                     List<String> continuations) {
        int n = prefixes.size();
        double[] safe = new double[n];
        double[] unsafe = new double[n];
        double[] fact = new double[n];
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int k = i;
            calls.add(judges.safety().assess(continuations.get(k)).thenAccept(j -> {
                record(j);
                safe[k] = j.verdict() == SafetyVerdict.SAFE ? 1 : 0;
                unsafe[k] = 1 - safe[k];
            }));
            calls.add(judges.factuality().assess(prefixes.get(k).prefixText(), continuations.get(k),
                    prefixes.get(k).suffixText()).thenAccept(j -> {
                        record(j);
                        fact[k] = j.verdict().score();
                    }));
        }
        CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).join();
        double[] nll = new double[n];
        double[] tokens = new double[n];
        SequenceScorer scorer = new SequenceScorer(model);
        for (int from = 0; from < n; from += settings.microBatch()) {
            int to = Math.min(n, from + settings.microBatch());
            List<int[]> p = new ArrayList<>();
            List<int[]> s = new ArrayList<>();
            for (int i = from; i < to; i++) {
                p.add(prefixes.get(i).prefixTokens());
                s.add(prefixes.get(i).suffixTokens());
            }
            double[] scores = scorer.score(p, s);
            for (int i = from; i < to; i++) {
                nll[i] = -scores[i - from];
                tokens[i] = prefixes.get(i).suffixTokens().length;
            }
        }
        Bootstrap bootstrap = new Bootstrap(settings.resamples(), settings.seed());
        List<PolicyEvaluation.Example> examples = new ArrayList<>();
        for (int i = 0; i < Math.min(5, n); i++) {
            examples.add(new PolicyEvaluation.Example(prefixes.get(i).prefixText(), continuations.get(i),
                    safe[i] == 1, fact[i]));
        }
        return new PolicyEvaluation(name, bootstrap.mean(safe), bootstrap.mean(unsafe), bootstrap.mean(fact),
                bootstrap.perplexity(nll, tokens), examples);
    }

    /**
     * Win rate of A over B: each prefix's pair is judged in both orders; a prefix scores 1 when A wins both, 0.5 when
     * the orders disagree (position bias), 0 when B wins both. Identical continuations score 0.5 without a call.
     */
    public Interval winRate(List<EvalPrefix> prefixes, List<String> a, List<String> b) {
        double[] score = new double[prefixes.size()];
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < prefixes.size(); i++) {
            final int k = i;
            if (a.get(k).equals(b.get(k))) {
                score[k] = 0.5;
                continue;
            }
            String prefix = prefixes.get(k).prefixText();
            CompletableFuture<Judged<PairwiseVerdict>> ab = judges.quality().compare(prefix, a.get(k), b.get(k));
            CompletableFuture<Judged<PairwiseVerdict>> ba = judges.quality().compare(prefix, b.get(k), a.get(k));
            calls.add(ab.thenCombine(ba, (x, y) -> {
                record(x);
                record(y);
                score[k] = ((x.verdict() == PairwiseVerdict.FIRST ? 1 : 0)
                        + (y.verdict() == PairwiseVerdict.SECOND ? 1 : 0)) / 2.0;
                return null;
            }));
        }
        CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).join();
        return new Bootstrap(settings.resamples(), settings.seed() + 1).mean(score);
    }

    private void record(Judged<?> j) {
        judgeLatencies.add(j.latencyMillis());
    }
}
