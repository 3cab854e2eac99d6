package io.flinksip.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Llama-style decoder (RMSNorm, rotary positions, SwiGLU, optional grouped-query attention, tied or untied head)
 * written on DJL NDArrays. Parameter names and shapes are exactly those of Hugging Face's {@code LlamaForCausalLM}.
 *
 * <p>Two rules keep it safe on the PyTorch engine: every array a forward pass creates (scalars and masks too) lives
 * on the caller's per-step manager, never on the model's, and no op is ever given a Java number inside a graph
 * (PyTorch may then read a freed scalar during backward). Operation chains therefore start from per-step inputs.
 */
public final class LlamaModel implements AutoCloseable {
    private static final Map<String, RotaryTable> ROTARY_TABLES = new ConcurrentHashMap<>();

    private final LlamaConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final boolean trainable;

    private LlamaModel(LlamaConfig config, NDManager manager, Map<String, NDArray> parameters, boolean trainable) {
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.trainable = trainable;
    }

    /**
     * Builds a model from named weights (Hugging Face names, row-major float32).
     *
     * @param trainable whether parameters record gradients; inference replicas (rollout, reference policy) pass false
     */
    public static LlamaModel create(LlamaConfig config, Map<String, float[]> weights, boolean trainable,
                                    Device device) {
        return create(config, weights, trainable, device, WeightPrecision.FLOAT32);
    }

    /**
     * An inference replica holding its weights in {@code precision}, on {@link DjlRuntime#defaultDevice()}.
     */
    public static LlamaModel createReplica(LlamaConfig config, Map<String, float[]> weights,
                                           WeightPrecision precision) {
        return create(config, weights, false, DjlRuntime.defaultDevice(), precision);
    }

    private static LlamaModel create(LlamaConfig config, Map<String, float[]> weights, boolean trainable,
                                     Device device, WeightPrecision precision) {
        if (trainable && precision != WeightPrecision.FLOAT32) {
            throw new IllegalArgumentException("a trainable model keeps float32 weights, not " + precision);
        }
        DjlRuntime.ensureConfigured();
        NDManager manager = NDManager.newBaseManager(device);
        Map<String, NDArray> params = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, long[]> e : parameterShapes(config).entrySet()) {
                float[] data = weights.get(e.getKey());
                if (data == null) {
                    throw new IllegalArgumentException("missing weight " + e.getKey());
                }
                Shape shape = new Shape(e.getValue());
                if (data.length != shape.size()) {
                    throw new IllegalArgumentException("weight " + e.getKey() + " has " + data.length
                            + " values, expected shape " + shape);
                }
                NDArray array = manager.create(data, shape);
                if (precision != WeightPrecision.FLOAT32 && shape.dimension() == 2) { // norm gains stay float32
                    NDArray converted = array.toType(precision.dataType(), false);
                    array.close();
                    array = converted;
                }
                array.setName(e.getKey());
                if (trainable) {
                    array.setRequiresGradient(true);
                }
                params.put(e.getKey(), array);
            }
            for (String name : weights.keySet()) {
                if (!params.containsKey(name)) {
                    throw new IllegalArgumentException("unexpected weight " + name + " for " + config);
                }
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return new LlamaModel(config, manager, Collections.unmodifiableMap(params), trainable);
    }

    /** On {@link DjlRuntime#defaultDevice()}: a GPU when present, else the CPU. */
    public static LlamaModel create(LlamaConfig config, Map<String, float[]> weights, boolean trainable) {
        return create(config, weights, trainable, DjlRuntime.defaultDevice());
    }

    /** Hugging Face parameter names and shapes, in a fixed order (the order of checkpoints and optimizer state). */
    public static LinkedHashMap<String, long[]> parameterShapes(LlamaConfig c) {
        LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
        long d = c.hiddenSize();
        shapes.put("model.embed_tokens.weight", new long[] {c.vocabSize(), d});
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            shapes.put(p + "self_attn.q_proj.weight", new long[] {d, d});
            shapes.put(p + "self_attn.k_proj.weight", new long[] {c.kvDim(), d});
            shapes.put(p + "self_attn.v_proj.weight", new long[] {c.kvDim(), d});
            shapes.put(p + "self_attn.o_proj.weight", new long[] {d, d});
            shapes.put(p + "mlp.gate_proj.weight", new long[] {c.intermediateSize(), d});
            shapes.put(p + "mlp.up_proj.weight", new long[] {c.intermediateSize(), d});
            shapes.put(p + "mlp.down_proj.weight", new long[] {d, c.intermediateSize()});
            shapes.put(p + "input_layernorm.weight", new long[] {d});
            shapes.put(p + "post_attention_layernorm.weight", new long[] {d});
        }
        shapes.put("model.norm.weight", new long[] {d});
        if (!c.tieWordEmbeddings()) {
            shapes.put("lm_head.weight", new long[] {c.vocabSize(), d});
        }
        return shapes;
    }

    public static long parameterCount(LlamaConfig config) {
        long n = 0;
        for (long[] s : parameterShapes(config).values()) {
            long size = 1;
            for (long x : s) {
                size *= x;
            }
            n += size;
        }
        return n;
    }

    /**
     * Fresh weights: normal(0, initializerRange) for matrices, ones for norm gains, as transformers initialises Llama.
     * A pure function of the seed.
     */
    public static LinkedHashMap<String, float[]> initialWeights(LlamaConfig config, long seed) {
        DeterministicRng rng = new DeterministicRng(seed);
        LinkedHashMap<String, float[]> weights = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : parameterShapes(config).entrySet()) {
            long[] shape = e.getValue();
            int size = (int) (shape.length == 1 ? shape[0] : shape[0] * shape[1]);
            float[] data = new float[size];
            if (shape.length == 1) {
                java.util.Arrays.fill(data, 1f);
            } else {
                for (int i = 0; i < size; i++) {
                    data[i] = (float) (rng.nextGaussian() * config.initializerRange());
                }
            }
            weights.put(e.getKey(), data);
        }
        return weights;
    }

    static RotaryTable rotary(LlamaConfig c) {
        String key = c.headDim() + "/" + c.maxPositionEmbeddings() + "/" + c.ropeTheta();
        return ROTARY_TABLES.computeIfAbsent(key,
                k -> new RotaryTable(c.headDim(), c.maxPositionEmbeddings(), c.ropeTheta()));
    }

    public LlamaConfig config() {
        return config;
    }

    public boolean trainable() {
        return trainable;
    }

    /** The parameter arrays by name, in {@link #parameterShapes} order. Do not close them. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    public NDManager manager() {
        return manager;
    }

    /** Copies current weights out of the engine. */
    public LinkedHashMap<String, float[]> weights() {
        LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            if (e.getValue().getDataType() == DataType.FLOAT32) {
                out.put(e.getKey(), e.getValue().toFloatArray());
            } else {
                try (NDArray wide = e.getValue().toType(DataType.FLOAT32, true)) {
                    out.put(e.getKey(), wide.toFloatArray());
                }
            }
        }
        return out;
    }

    /** Overwrites weights in place (no graph is recorded: this is a raw copy into the tensors' storage). */
    public void loadWeights(Map<String, float[]> weights) {
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            float[] data = weights.get(e.getKey());
            if (data == null || data.length != e.getValue().getShape().size()) {
                throw new IllegalArgumentException("weight " + e.getKey() + " missing or of the wrong size");
            }
            if (e.getValue().getDataType() == DataType.FLOAT32) {
                Autograd.overwrite(e.getValue(), data);
            } else {
                try (NDManager scratch = manager.newSubManager();
                     NDArray wide = scratch.create(data, e.getValue().getShape());
                     NDArray narrow = wide.toType(e.getValue().getDataType(), false)) {
                    e.getValue().set(narrow.toByteBuffer());
                }
            }
        }
    }

    /**
     * Logits {@code [B, T, vocab]} for the given input. With a cache, the new keys/values are appended to it and the
     * queries attend to everything cached before them.
     */
    public NDArray forward(NDManager step, DecoderInput input, KvCache cache) {
        LlamaConfig c = config;
        int b = input.batch;
        int t = input.length;
        int heads = c.numHeads();
        int kvHeads = c.numKeyValueHeads();
        int hd = c.headDim();
        NDArray eps = step.create((float) c.rmsNormEps());
        NDArray scale = step.create((float) (1.0 / Math.sqrt(hd)));

        NDArray x = Embedding.embedding(input.ids, p("model.embed_tokens.weight"), SparseFormat.DENSE).singletonOrThrow();
        if (x.getDataType() != DataType.FLOAT32) {
            x = x.toType(DataType.FLOAT32, false);
        }
        for (int l = 0; l < c.numLayers(); l++) {
            String pre = "model.layers." + l + ".";
            NDArray h = rmsNorm(x, p(pre + "input_layernorm.weight"), eps);
            NDArray q = linear(h, p(pre + "self_attn.q_proj.weight"))
                    .reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
            NDArray k = linear(h, p(pre + "self_attn.k_proj.weight"))
                    .reshape(b, t, kvHeads, hd).transpose(0, 2, 1, 3);
            NDArray v = linear(h, p(pre + "self_attn.v_proj.weight"))
                    .reshape(b, t, kvHeads, hd).transpose(0, 2, 1, 3);
            q = applyRotary(q, input.cos, input.sin, hd);
            k = applyRotary(k, input.cos, input.sin, hd);
            if (cache != null) {
                NDArray[] kv = cache.append(l, k, v);
                k = kv[0];
                v = kv[1];
            }
            if (kvHeads != heads) {
                k = expandKv(k, heads / kvHeads);
                v = expandKv(v, heads / kvHeads);
            }
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(input.mask);
            NDArray attended = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * hd);
            x = x.add(linear(attended, p(pre + "self_attn.o_proj.weight")));

            NDArray h2 = rmsNorm(x, p(pre + "post_attention_layernorm.weight"), eps);
            NDArray gate = linear(h2, p(pre + "mlp.gate_proj.weight"));
            NDArray up = linear(h2, p(pre + "mlp.up_proj.weight"));
            NDArray act = gate.mul(Activation.sigmoid(gate)).mul(up);
            x = x.add(linear(act, p(pre + "mlp.down_proj.weight")));
        }
        NDArray normed = rmsNorm(x, p("model.norm.weight"), eps);
        NDArray head = c.tieWordEmbeddings() ? p("model.embed_tokens.weight") : p("lm_head.weight");
        NDArray logits = linear(normed, head);
        logits.attach(step);
        return logits;
    }

    private NDArray p(String name) {
        return parameters.get(name);
    }

    private static NDArray rmsNorm(NDArray x, NDArray gain, NDArray eps) {
        NDArray rms = x.square().mean(new int[] {-1}, true).add(eps).sqrt();
        return x.div(rms).mul(gain);
    }

    /**
     * x · weightᵀ in float32. A half-precision weight multiplies the input rounded to its type, and the product comes
     * back as float32: the residual stream, norms and attention never leave float32.
     */
    private static NDArray linear(NDArray x, NDArray weight) {
        if (weight.getDataType() == DataType.FLOAT32) {
            return Linear.linear(x, weight).singletonOrThrow();
        }
        return Linear.linear(x.toType(weight.getDataType(), false), weight).singletonOrThrow()
                .toType(DataType.FLOAT32, false);
    }

    /** q·cos + rotate_half(q)·sin, where rotate_half([x1, x2]) = [-x2, x1] over the head dimension's two halves. */
    private static NDArray applyRotary(NDArray x, NDArray cos, NDArray sin, int headDim) {
        int half = headDim / 2;
        NDArray x1 = x.get(new NDIndex("..., :{}", half));
        NDArray x2 = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /** [B, kvHeads, S, hd] → [B, kvHeads·groups, S, hd], each kv head serving {@code groups} consecutive q heads. */
    private static NDArray expandKv(NDArray kv, int groups) {
        Shape s = kv.getShape();
        return kv.expandDims(2).broadcast(s.get(0), s.get(1), groups, s.get(2), s.get(3))
                .reshape(s.get(0), s.get(1) * groups, s.get(2), s.get(3));
    }

    /** Names of parameters that are gains of norms (no weight decay). */
    public static boolean isNormGain(String name) {
        return name.endsWith("layernorm.weight") || name.equals("model.norm.weight");
    }

    public static List<String> parameterNames(LlamaConfig config) {
        return List.copyOf(parameterShapes(config).keySet());
    }

    @Override
    public void close() {
        manager.close();
    }
}
