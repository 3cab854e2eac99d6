package io.flinksip.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.flinksip.model.Autograd;
import io.flinksip.model.DeterministicRng;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.SequenceScorer;
import io.flinksip.model.TokenBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Trains one policy with next-token loss, RF-NLL or online DPO, one optimizer step per call.
 *
 * <p>Master weights and AdamW moments are Java arrays owned here; the engine's parameter tensors are refreshed from
 * them after every step. Losses are token means over the masked (target) tokens. Not thread-safe: one trainer is
 * driven by one thread (the learner operator's).
 */
public final class PolicyTrainer implements AutoCloseable {
    private final LlamaConfig modelConfig;
    private final TrainerConfig config;
    private final List<String> names;
    private final float[][] master;
    private final float[][] gradients;
    private final AdamW optimizer;
    private final LlamaModel policy;
    private final DeterministicRng rng;
    private long step;
    private float[][] referenceWeights;
    private long referenceSyncedAtStep;
    private LlamaModel reference;

    private PolicyTrainer(LlamaConfig modelConfig, TrainerConfig config, float[][] master, AdamW optimizer,
                          long step, long rngState, float[][] referenceWeights, long referenceSyncedAtStep) {
        this.modelConfig = modelConfig;
        this.config = config;
        this.names = LlamaModel.parameterNames(modelConfig);
        this.master = master;
        this.gradients = new float[master.length][];
        for (int i = 0; i < master.length; i++) {
            gradients[i] = new float[master[i].length];
        }
        this.optimizer = optimizer;
        this.policy = LlamaModel.create(modelConfig, asMap(names, master), true);
        this.rng = new DeterministicRng(rngState);
        this.step = step;
        this.referenceWeights = referenceWeights;
        this.referenceSyncedAtStep = referenceSyncedAtStep;
        if (config.dpo() != null && referenceWeights == null) {
            this.referenceWeights = deepCopy(master);
            this.referenceSyncedAtStep = step;
        }
    }

    /** A trainer at step 0 from the given weights (fresh or imported). */
    public static PolicyTrainer create(LlamaConfig modelConfig, Map<String, float[]> weights, TrainerConfig config,
                                       long seed) {
        List<String> names = LlamaModel.parameterNames(modelConfig);
        float[][] master = new float[names.size()][];
        boolean[] decayed = new boolean[names.size()];
        for (int i = 0; i < names.size(); i++) {
            float[] w = weights.get(names.get(i));
            if (w == null) {
                throw new IllegalArgumentException("missing weight " + names.get(i));
            }
            master[i] = w.clone();
            decayed[i] = !LlamaModel.isNormGain(names.get(i));
        }
        AdamW adam = new AdamW(config.optimizer(), Arrays.asList(master), decayed);
        return new PolicyTrainer(modelConfig, config, master, adam, 0, seed, null, 0);
    }

    /** Resumes exactly where {@code state} was taken. */
    public static PolicyTrainer restore(TrainerState state, TrainerConfig config) {
        List<String> expected = LlamaModel.parameterNames(state.modelConfig());
        if (!expected.equals(state.parameterNames())) {
            throw new IllegalArgumentException("state parameters do not match the model configuration");
        }
        boolean[] decayed = new boolean[expected.size()];
        for (int i = 0; i < decayed.length; i++) {
            decayed[i] = !LlamaModel.isNormGain(expected.get(i));
        }
        AdamW adam = new AdamW(config.optimizer(), deepCopy(state.firstMoments()), deepCopy(state.secondMoments()),
                decayed);
        float[][] ref = state.referenceWeights() == null ? null : deepCopy(state.referenceWeights());
        return new PolicyTrainer(state.modelConfig(), config, deepCopy(state.parameters()), adam, state.step(),
                state.rngState(), ref, state.referenceSyncedAtStep());
    }

    /** A consistent copy of the whole state (safe to serialise while training continues). */
    public TrainerState snapshot() {
        return new TrainerState(modelConfig, step, rng.state(), names, deepCopy(master),
                deepCopy(optimizer.firstMoments()), deepCopy(optimizer.secondMoments()),
                referenceWeights == null ? null : deepCopy(referenceWeights), referenceSyncedAtStep);
    }

    /**
     * The whole state without a copy: its arrays are the trainer's own, which the trainer then stops changing (the
     * next step writes fresh arrays, see {@link AdamW#share()}), so a writer may read them on another thread while
     * training goes on. The DPO reference is never changed in place (a sync replaces it), so it is shared as it is.
     */
    public TrainerState share() {
        optimizer.share();
        return new TrainerState(modelConfig, step, rng.state(), names, master.clone(),
                optimizer.firstMoments().clone(), optimizer.secondMoments().clone(), referenceWeights == null ? null
                : referenceWeights.clone(), referenceSyncedAtStep);
    }

    /** Next-token loss over every token of each sequence after its first (the pretraining baseline). */
    public StepResult trainNextToken(List<int[]> sequences) {
        TokenBatch batch = TokenBatch.wholeSequences(sequences, modelConfig.eosTokenId());
        return nllStep(batch);
    }

    /**
     * NLL of continuations given their prefixes, loss on continuation tokens only: RF-NLL on the top-scored candidate,
     * or suffix-only next-token training.
     */
    public StepResult trainOnContinuations(List<int[]> prefixes, List<int[]> continuations) {
        TokenBatch batch = TokenBatch.of(prefixes, continuations, modelConfig.eosTokenId());
        return nllStep(batch);
    }

    private StepResult nllStep(TokenBatch batch) {
        double[] lossOut = new double[1];
        double norm = applyStep(m -> {
            NDArray loss = batch.targetLogProbs(m, policy).sum().div(m.create((float) batch.totalTargets())).neg();
            lossOut[0] = loss.getFloat();
            return loss;
        });
        return new StepResult(step, lossOut[0], norm, config.optimizer().learningRate(step - 1),
                batch.totalTargets(), Double.NaN, Double.NaN);
    }

    /**
     * One online-DPO step: {@code −log σ(β[(log π − log π_ref)(chosen) − (log π − log π_ref)(rejected)])}, averaged over
     * pairs, plus the optional NLL term on chosen tokens.
     */
    public StepResult trainDpo(List<PreferencePair> pairs) {
        DpoConfig dpo = config.dpo();
        if (dpo == null) {
            throw new IllegalStateException("this trainer was configured without DPO");
        }
        if (dpo.reference() == DpoConfig.Reference.SYNCED && step - referenceSyncedAtStep >= dpo.syncEverySteps()) {
            referenceWeights = deepCopy(master);
            referenceSyncedAtStep = step;
            if (reference != null) {
                reference.loadWeights(asMap(names, referenceWeights));
            }
        }
        int b = pairs.size();
        List<int[]> prefixes = new ArrayList<>(2 * b);
        List<int[]> conts = new ArrayList<>(2 * b);
        for (PreferencePair p : pairs) {
            prefixes.add(p.prefix());
            conts.add(p.chosen());
        }
        for (PreferencePair p : pairs) {
            prefixes.add(p.prefix());
            conts.add(p.rejected());
        }
        double[] refLogProbs = new SequenceScorer(referencePolicy()).score(prefixes, conts);
        float[] refMargin = new float[b];
        for (int i = 0; i < b; i++) {
            refMargin[i] = (float) (refLogProbs[i] - refLogProbs[b + i]);
        }
        TokenBatch batch = TokenBatch.of(prefixes, conts, modelConfig.eosTokenId());
        int chosenTokens = 0;
        for (PreferencePair p : pairs) {
            chosenTokens += p.chosen().length;
        }
        final int chosenTokenCount = chosenTokens;
        double[] stats = new double[3];
        double norm = applyStep(m -> {
            NDArray logProbs = batch.targetLogProbs(m, policy);
            NDArray chosen = logProbs.get("0:{}", b);
            NDArray rejected = logProbs.get("{}:", b);
            NDArray margins = chosen.sub(rejected).sub(m.create(refMargin, new Shape(b)))
                    .mul(m.create((float) dpo.beta()));
            NDArray loss = Activation.softPlus(margins.neg()).mean();
            if (dpo.nllWeight() > 0) {
                NDArray nll = chosen.sum().div(m.create((float) chosenTokenCount)).neg();
                loss = loss.add(nll.mul(m.create((float) dpo.nllWeight())));
            }
            float[] marginValues = margins.toFloatArray();
            double correct = 0;
            double sum = 0;
            for (float v : marginValues) {
                correct += v > 0 ? 1 : 0;
                sum += v;
            }
            stats[0] = loss.getFloat();
            stats[1] = correct / b;
            stats[2] = sum / b;
            return loss;
        });
        return new StepResult(step, stats[0], norm, config.optimizer().learningRate(step - 1), batch.totalTargets(),
                stats[1], stats[2]);
    }

    private LlamaModel referencePolicy() {
        if (reference == null) {
            reference = LlamaModel.create(modelConfig, asMap(names, referenceWeights), false);
        }
        return reference;
    }

    /** Forward + backward of {@code lossFn}, then clip, AdamW, refresh engine weights and advance the step. */
    private double applyStep(Function<NDManager, NDArray> lossFn) {
        Autograd.withGradMode(true, () -> {
            try (NDManager m = policy.manager().newSubManager()) {
                NDArray loss = lossFn.apply(m);
                float value = loss.getFloat();
                if (!Float.isFinite(value)) {
                    throw new AdamW.NonFiniteGradientException(value);
                }
                Autograd.backward(loss);
            }
            return null;
        });
        int i = 0;
        for (NDArray p : policy.parameters().values()) {
            Autograd.drainGradient(p, gradients[i++]);
        }
        double norm = optimizer.update(master, gradients, step);
        i = 0;
        for (NDArray p : policy.parameters().values()) {
            Autograd.overwrite(p, master[i++]);
        }
        step++;
        return norm;
    }

    /** Number of optimizer steps taken; the version of the current weights. */
    public long step() {
        return step;
    }

    public LlamaConfig modelConfig() {
        return modelConfig;
    }

    /** The trainable policy; use it for scoring or sampling between steps on the trainer's thread. */
    public LlamaModel policy() {
        return policy;
    }

    /** The learner's own random stream, part of the checkpointed state. */
    public DeterministicRng rng() {
        return rng;
    }

    /** A copy of the current weights by Hugging Face name. */
    public LinkedHashMap<String, float[]> weights() {
        return asMap(names, deepCopy(master));
    }

    /**
     * The current weights themselves, by Hugging Face name, without a copy: valid until the next step changes them,
     * and not to be modified. For writing them out on the trainer's thread between steps (publishing a version).
     */
    public LinkedHashMap<String, float[]> weightsView() {
        return asMap(names, master);
    }

    /** Weights of the DPO reference policy, or null when none is kept. */
    public LinkedHashMap<String, float[]> referenceWeights() {
        return referenceWeights == null ? null : asMap(names, deepCopy(referenceWeights));
    }

    private static LinkedHashMap<String, float[]> asMap(List<String> names, float[][] arrays) {
        LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), arrays[i]);
        }
        return out;
    }

    static float[][] deepCopy(float[][] src) {
        float[][] out = new float[src.length][];
        for (int i = 0; i < src.length; i++) {
            out[i] = src[i].clone();
        }
        return out;
    }

    @Override
    public void close() {
        policy.close();
        if (reference != null) {
            reference.close();
        }
    }
}
