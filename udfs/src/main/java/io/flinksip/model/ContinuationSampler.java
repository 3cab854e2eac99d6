package io.flinksip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generates K continuations for each of several prefixes in one batched pass. With the KV cache on, each distinct
 * prefix is encoded once and its cache is repeated K times; every later step feeds one token per row.
 *
 * <p>Prefixes of different lengths are left-padded; padding keys are masked and rotary positions start at 0 at each
 * row's first real token, so a row's logits do not depend on how much padding it received (up to float rounding).
 */
public final class ContinuationSampler {
    /** Receives every step's next-token logits, row-major {@code [rows, vocab]}; for tests and diagnostics. */
    public interface StepObserver {
        void onStep(int step, float[] logits, int rows);
    }

    private final LlamaModel model;

    public ContinuationSampler(LlamaModel model) {
        this.model = model;
    }

    public List<List<Continuation>> sample(List<int[]> prefixes, long[][] seeds, SamplingConfig cfg) {
        return sample(prefixes, seeds, cfg, null);
    }

    /**
     * @param prefixes prompt token ids, each non-empty
     * @param seeds {@code seeds[i][j]} seeds continuation j of prefix i; every prefix gets the same count K
     */
    public List<List<Continuation>> sample(List<int[]> prefixes, long[][] seeds, SamplingConfig cfg,
                                           StepObserver observer) {
        validate(prefixes, seeds, cfg);
        return Autograd.withGradMode(false, () -> generate(prefixes, seeds, cfg, observer));
    }

    private void validate(List<int[]> prefixes, long[][] seeds, SamplingConfig cfg) {
        if (prefixes.isEmpty() || prefixes.size() != seeds.length) {
            throw new IllegalArgumentException("need one seed row per prefix and at least one prefix");
        }
        int k = seeds[0].length;
        int vocab = model.config().vocabSize();
        for (int i = 0; i < prefixes.size(); i++) {
            int[] p = prefixes.get(i);
            if (p.length == 0) {
                throw new IllegalArgumentException("prefix " + i + " is empty");
            }
            if (seeds[i].length != k || k == 0) {
                throw new IllegalArgumentException("every prefix needs the same, positive number of seeds");
            }
            if (p.length + cfg.maxNewTokens() > model.config().maxPositionEmbeddings()) {
                throw new IllegalArgumentException("prefix " + i + " (" + p.length + " tokens) + " + cfg.maxNewTokens()
                        + " new tokens exceeds maxPositionEmbeddings " + model.config().maxPositionEmbeddings());
            }
            for (int id : p) {
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("token id " + id + " outside vocabulary of " + vocab);
                }
            }
        }
    }

    private List<List<Continuation>> generate(List<int[]> prefixes, long[][] seeds, SamplingConfig cfg,
                                              StepObserver observer) {
        LlamaConfig c = model.config();
        int vocab = c.vocabSize();
        int eos = c.eosTokenId();
        int distinct = prefixes.size();
        int k = seeds[0].length;
        int rows = distinct * k;
        int maxPrefix = prefixes.stream().mapToInt(p -> p.length).max().orElseThrow();

        DeterministicRng[] rngs = new DeterministicRng[rows];
        int[] prefixLen = new int[rows];
        for (int i = 0; i < distinct; i++) {
            for (int j = 0; j < k; j++) {
                rngs[i * k + j] = new DeterministicRng(seeds[i][j]);
                prefixLen[i * k + j] = prefixes.get(i).length;
            }
        }
        int[][] generated = new int[rows][cfg.maxNewTokens()];
        float[][] logProbs = new float[rows][cfg.maxNewTokens()];
        int[] produced = new int[rows];
        boolean[] finished = new boolean[rows];

        try (NDManager generation = model.manager().newSubManager()) {
            KvCache cache = cfg.useKvCache() ? new KvCache(generation, c.numLayers()) : null;
            float[] prefill = prefillLogits(generation, prefixes, maxPrefix, cache);
            float[] logits = new float[rows * vocab];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(prefill, (r / k) * vocab, logits, r * vocab, vocab);
            }
            if (cache != null) {
                cache.repeatRows(k);
            }
            boolean[][] visible = paddedVisibility(prefixLen, maxPrefix, cfg.maxNewTokens());
            for (int t = 0; t < cfg.maxNewTokens(); t++) {
                if (observer != null) {
                    observer.onStep(t, logits, rows);
                }
                int[] next = new int[rows];
                boolean anyActive = false;
                for (int r = 0; r < rows; r++) {
                    if (finished[r]) {
                        next[r] = eos;
                        continue;
                    }
                    int token = TokenSampler.sample(logits, r * vocab, vocab, cfg, rngs[r]);
                    generated[r][produced[r]] = token;
                    logProbs[r][produced[r]] = TokenSampler.logProb(logits, r * vocab, vocab, token);
                    produced[r]++;
                    next[r] = token;
                    if (token == eos) {
                        finished[r] = true;
                    } else {
                        anyActive = true;
                    }
                }
                if (!anyActive || t == cfg.maxNewTokens() - 1) {
                    break;
                }
                logits = cache != null
                        ? decodeStep(generation, cache, next, prefixLen, maxPrefix, t, visible)
                        : recomputeStep(generation, prefixes, k, generated, produced, maxPrefix, t);
            }
            if (cache != null) {
                cache.close();
            }
        }
        List<List<Continuation>> out = new ArrayList<>(distinct);
        for (int i = 0; i < distinct; i++) {
            List<Continuation> perPrefix = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                int r = i * k + j;
                perPrefix.add(new Continuation(Arrays.copyOf(generated[r], produced[r]),
                        Arrays.copyOf(logProbs[r], produced[r]), seeds[i][j], finished[r]));
            }
            out.add(perPrefix);
        }
        return out;
    }

    /** Last-position logits of every distinct prefix, {@code [distinct, vocab]}. */
    private float[] prefillLogits(NDManager generation, List<int[]> prefixes, int maxPrefix, KvCache cache) {
        int n = prefixes.size();
        int[][] tokens = new int[n][maxPrefix];
        int[][] positions = new int[n][maxPrefix];
        boolean[][] visible = new boolean[n][maxPrefix];
        for (int i = 0; i < n; i++) {
            int[] p = prefixes.get(i);
            leftPad(p, maxPrefix, tokens[i], positions[i], visible[i]);
        }
        return lastLogits(generation, tokens, positions, visible, 0, cache);
    }

    private float[] decodeStep(NDManager generation, KvCache cache, int[] next, int[] prefixLen, int maxPrefix,
                               int t, boolean[][] visibleFull) {
        int rows = next.length;
        int past = maxPrefix + t;
        int[][] tokens = new int[rows][1];
        int[][] positions = new int[rows][1];
        boolean[][] visible = new boolean[rows][];
        for (int r = 0; r < rows; r++) {
            tokens[r][0] = next[r];
            positions[r][0] = prefixLen[r] + t;
            visible[r] = Arrays.copyOf(visibleFull[r], past + 1);
        }
        return lastLogits(generation, tokens, positions, visible, past, cache);
    }

    /** Full recompute of every row's prefix + generated tokens: the reference the KV cache must match. */
    private float[] recomputeStep(NDManager generation, List<int[]> prefixes, int k, int[][] generated,
                                  int[] produced, int maxPrefix, int t) {
        int rows = generated.length;
        int length = maxPrefix + t + 1;
        int[][] tokens = new int[rows][length];
        int[][] positions = new int[rows][length];
        boolean[][] visible = new boolean[rows][length];
        int eos = model.config().eosTokenId();
        for (int r = 0; r < rows; r++) {
            int[] p = prefixes.get(r / k);
            int[] seq = Arrays.copyOf(p, p.length + t + 1);
            for (int s = 0; s <= t; s++) {
                seq[p.length + s] = s < produced[r] ? generated[r][s] : eos;
            }
            leftPad(seq, length, tokens[r], positions[r], visible[r]);
        }
        return lastLogits(generation, tokens, positions, visible, 0, null);
    }

    private float[] lastLogits(NDManager generation, int[][] tokens, int[][] positions, boolean[][] visible,
                               int past, KvCache cache) {
        try (NDManager step = generation.newSubManager();
             DecoderInput input = DecoderInput.general(step, model.config(), tokens, positions, visible, past)) {
            NDArray logits = model.forward(step, input, cache);
            return logits.get(new NDIndex(":, -1, :")).toFloatArray();
        }
    }

    private void leftPad(int[] seq, int length, int[] tokens, int[] positions, boolean[] visible) {
        int pad = length - seq.length;
        int fill = model.config().eosTokenId();
        for (int j = 0; j < length; j++) {
            boolean real = j >= pad;
            tokens[j] = real ? seq[j - pad] : fill;
            positions[j] = real ? j - pad : 0;
            visible[j] = real;
        }
    }

    private static boolean[][] paddedVisibility(int[] prefixLen, int maxPrefix, int maxNew) {
        boolean[][] visible = new boolean[prefixLen.length][maxPrefix + maxNew];
        for (int r = 0; r < prefixLen.length; r++) {
            for (int j = maxPrefix - prefixLen[r]; j < visible[r].length; j++) {
                visible[r][j] = true;
            }
        }
        return visible;
    }
}
