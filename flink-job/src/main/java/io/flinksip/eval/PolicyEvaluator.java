package io.flinksip.eval;

import io.flinksip.backend.FactualityJudge;
import io.flinksip.backend.Judged;
import io.flinksip.backend.PairwiseVerdict;
import io.flinksip.backend.SafetyVerdict;
import io.flinksip.model.Continuation;
import io.flinksip.model.ContinuationSampler;
import io.flinksip.model.DeterministicRng;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.SamplingConfig;
import io.flinksip.model.SequenceScorer;
import io.flinksip.tokenizer.TextTokenizer;
import java.io.PrintStream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Evaluates policies on held-out prefixes as the paper does: one continuation per prefix, greedy by default (sampled
 * with a seed per prefix when configured, the same seeds for every policy), judged for safety and for factuality
 * against the prefix and the held-out suffix; quality is a pairwise win rate judged in both orders; perplexity is that
 * of the original suffixes. Every figure carries a bootstrap 95% interval over prefixes.
 */
public final class PolicyEvaluator {
    /**
     * @param sampling how continuations are drawn (greedy: temperature 0)
     * @param seed base seed of the per-prefix sampling seeds and of the bootstrap
     * @param microBatch prefixes generated together
     * @param resamples bootstrap resamples
     */
    public record Settings(SamplingConfig sampling, long seed, int microBatch, int resamples) {
        public boolean greedy() {
            return sampling.temperature() == 0;
        }
    }

    private final Settings settings;
    private final EvalJudges judges;
    private final TextTokenizer tokenizer;
    private final List<Long> judgeLatencies = Collections.synchronizedList(new ArrayList<>());
    private PrintStream progressOut;

    PolicyEvaluator(Settings settings, EvalJudges judges, TextTokenizer tokenizer) {
        this.settings = settings;
        this.judges = judges;
        this.tokenizer = tokenizer;
    }

    public Settings settings() {
        return settings;
    }

    /** Latencies (ms) of every judge call so far. */
    public List<Long> judgeLatencies() {
        synchronized (judgeLatencies) {
            return List.copyOf(judgeLatencies);
        }
    }

    /** One continuation per prefix, decoded. */
    /** Prints progress lines (generation and judging) to {@code out}; none by default. */
    public PolicyEvaluator reportingProgressTo(PrintStream out) {
        this.progressOut = out;
        return this;
    }

    public List<String> generate(LlamaModel model, List<EvalPrefix> prefixes) {
        List<String> out = new ArrayList<>(prefixes.size());
        Progress progress = new Progress(progressOut, "generated", prefixes.size(), System.nanoTime());
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
            progress.advance(to - from);
        }
        progress.finish();
        return out;
    }

    public PolicyEvaluation evaluate(String name, LlamaModel model, List<EvalPrefix> prefixes,
                                     List<String> continuations) {
        int n = prefixes.size();
        double[] safe = new double[n];
        double[] fact = new double[n];
        double[] oracle = new double[n];
        double[] claims = new double[n];
        double[] noClaim = new double[n];
        double[] repetition = new double[n];
        List<CompletableFuture<?>> calls = new ArrayList<>();
        // the rate counts from here: in-process judges answer while the calls are being made
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            final int k = i;
            EvalPrefix p = prefixes.get(k);
            String c = continuations.get(k);
            calls.add(judges.safety().assess(c).thenAccept(j -> {
                record(j);
                safe[k] = j.verdict() == SafetyVerdict.SAFE ? 1 : 0;
            }));
            calls.add(factuality(judges.factuality(), p, c, fact, k));
            if (judges.oracleFactuality() != null) {
                calls.add(factuality(judges.oracleFactuality(), p, c, oracle, k));
            }
            if (judges.claims() != null) {
                claims[k] = judges.claims().apply(p.prefixText(), c);
                noClaim[k] = claims[k] == 0 ? 1 : 0;
            }
            repetition[k] = Repetition.rate(c);
        }
        Progress progress = new Progress(progressOut, "judge calls", calls.size(), started);
        calls.forEach(c -> c.whenComplete((verdict, failure) -> progress.advance(1)));
        CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).join();
        progress.finish();
        Bootstrap bootstrap = new Bootstrap(settings.resamples(), settings.seed());
        List<PolicyEvaluation.Example> examples = new ArrayList<>();
        for (int i = 0; i < Math.min(5, n); i++) {
            examples.add(new PolicyEvaluation.Example(prefixes.get(i).prefixText(), continuations.get(i),
                    safe[i] == 1, fact[i]));
        }
        return new PolicyEvaluation(name, bootstrap.mean(safe), bootstrap.mean(fact),
                judges.oracleFactuality() == null ? null : bootstrap.mean(oracle),
                judges.claims() == null ? null : bootstrap.mean(claims),
                judges.claims() == null ? null : bootstrap.mean(noClaim), bootstrap.mean(repetition),
                perplexity(model, prefixes, bootstrap), examples);
    }

    private CompletableFuture<?> factuality(FactualityJudge judge, EvalPrefix p, String continuation, double[] into,
                                            int k) {
        return judge.assess(p.prefixText(), continuation, p.suffixText()).thenAccept(j -> {
            record(j);
            into[k] = j.verdict().score();
        });
    }

    private Interval perplexity(LlamaModel model, List<EvalPrefix> prefixes, Bootstrap bootstrap) {
        int n = prefixes.size();
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
        return bootstrap.perplexity(nll, tokens);
    }

    /**
     * Quality win rate of A over B: each prefix's pair is judged in both orders; a prefix scores 1 when A wins both,
     * 0.5 when the orders disagree (position bias), 0 when B wins both. Identical continuations score 0.5 without a
     * call.
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

    /**
     * Coherence win rate of A over B, as the paper's repetition judge decides it: per prefix 1 when A's continuation
     * repeats itself less than B's, 0.5 on a tie, 0 otherwise.
     */
    public Interval coherenceWinRate(List<String> a, List<String> b) {
        double[] score = new double[a.size()];
        for (int i = 0; i < a.size(); i++) {
            double ra = Repetition.rate(a.get(i));
            double rb = Repetition.rate(b.get(i));
            score[i] = ra < rb ? 1 : ra == rb ? 0.5 : 0;
        }
        return new Bootstrap(settings.resamples(), settings.seed() + 2).mean(score);
    }

    private void record(Judged<?> j) {
        judgeLatencies.add(j.latencyMillis());
    }
}
