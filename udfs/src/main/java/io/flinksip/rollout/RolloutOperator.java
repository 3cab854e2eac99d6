package io.flinksip.rollout;

import io.flinksip.metrics.StageTime;
import io.flinksip.model.DjlRuntime;
import io.flinksip.model.LlamaModel;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.Sample;
import io.flinksip.sync.Chunks;
import io.flinksip.sync.SyncMode;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenIds;
import io.flinksip.tokenizer.TokenizerJson;
import io.flinksip.weights.PolicyWeights;
import io.flinksip.weights.WeightStore;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * The rollout stage: a policy replica per subtask that samples K continuations for each prefix in batched, KV-cached
 * passes, and opens each sample's candidate set with its original suffix and the rollouts, tagged with the policy
 * version and seed. Its input is keyed by {@link Chunks chunk}: a shard's share of a step window.
 *
 * <p>Weights come from the weight store, from the namespace of this job attempt. Each sample names its rollout version
 * (set by the sequence stage, which admits a sample only once that version is published). In {@code latest} mode the
 * replica moves to the newest version before each micro-batch (never older than the samples'), and a partial
 * micro-batch goes after the flush interval. In {@code strict} mode a chunk is generated once all its samples are in,
 * sorted by position and cut into micro-batches, with exactly the window's version: the rows of a batch influence each
 * other's numbers, so a batch must be the same on every replay, whatever the parallelism or arrival order. A chunk
 * holds {@link io.flinksip.sync.StepWindows#perShard()} samples, fewer only when its shard ended inside it: then the
 * sequence stage sends a chunk-end marker that says how many.
 *
 * <p>Samples wait in keyed state; a processing-time timer retries a version that is not readable yet. The operator
 * never blocks its thread.
 */
public final class RolloutOperator extends AbstractStreamOperator<CandidateSet>
        implements OneInputStreamOperator<Sample, CandidateSet>, BoundedOneInput, Triggerable<Long, VoidNamespace> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "rollout";
    private static final String BUFFER = "rollout-chunk-buffer";

    private final RolloutConfig config;

    private transient ListState<Sample> buffer;
    private transient org.apache.flink.api.common.state.ValueState<Integer> count;
    private transient org.apache.flink.api.common.state.ValueState<Integer> chunkSize;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient WeightStore store;
    private transient String namespace;
    private transient LlamaModel model;
    private transient long modelVersion;
    private transient TextTokenizer tokenizer;
    private transient RolloutGenerator generator;
    private transient Counter rollouts;
    private transient Counter rolloutTokens;
    private transient Histogram batchMillis;
    private transient StageTime time;

    public RolloutOperator(RolloutConfig config) {
        this.config = config;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        buffer = getKeyedStateStore().getListState(new ListStateDescriptor<>(BUFFER,
                TypeInformation.of(Sample.class)));
        count = getKeyedStateStore().getState(new org.apache.flink.api.common.state.ValueStateDescriptor<>(
                "rollout-chunk-count", org.apache.flink.api.common.typeinfo.Types.INT));
        chunkSize = getKeyedStateStore().getState(new org.apache.flink.api.common.state.ValueStateDescriptor<>(
                "rollout-chunk-size", org.apache.flink.api.common.typeinfo.Types.INT));
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers = getInternalTimerService("rollout-flush", VoidNamespaceSerializer.INSTANCE, this);
        store = new WeightStore(config.weightStoreRoot());
        namespace = WeightStore.namespaceOf(getRuntimeContext().getJobInfo().getJobId().toString(),
                getRuntimeContext().getTaskInfo().getAttemptNumber());
        tokenizer = TokenizerJson.load(config.tokenizerJson(), config.tokenizerBackend());
        generator = new RolloutGenerator(config, tokenizer);
        modelVersion = -1;
        var group = getMetricGroup();
        rollouts = group.counter("rollouts");
        rolloutTokens = group.counter("rolloutTokens");
        group.meter("rolloutTokensPerSecond", new MeterView(rolloutTokens));
        batchMillis = group.histogram("batchMs", new DescriptiveStatisticsHistogram(500));
        group.gauge("policyVersion", () -> modelVersion);
        int onGpu = DjlRuntime.onGpu();
        group.gauge("onGpu", () -> onGpu);
        int precisionBits = 8 * config.precision().dataType().getNumOfBytes();
        group.gauge("weightPrecisionBits", () -> precisionBits);
        time = StageTime.register(group, STAGE);
    }

    @Override
    public void processElement(StreamRecord<Sample> record) throws Exception {
        Sample sample = record.getValue();
        int waiting;
        if (Chunks.isEnd(sample)) {
            chunkSize.update((int) sample.getSeq());
            Integer n = count.value();
            waiting = n == null ? 0 : n;
        } else {
            buffer.add(sample);
            Integer n = count.value();
            waiting = n == null ? 1 : n + 1;
            count.update(waiting);
        }
        if (waiting == 0) {
            return;
        }
        Integer size = chunkSize.value();
        boolean ready = config.sync() == SyncMode.STRICT
                ? waiting >= (size == null ? config.windows().perShard() : size)
                : waiting >= config.microBatch();
        if (!ready || !flush(buffered())) {
            scheduleFlush();
        }
    }

    /** Latest mode: a partial micro-batch's wait is over. Both modes: a version may be readable now. */
    @Override
    public void onProcessingTime(InternalTimer<Long, VoidNamespace> timer) throws Exception {
        List<Sample> waiting = buffered();
        if (waiting.isEmpty()) {
            return;
        }
        Integer size = chunkSize.value();
        if (config.sync() == SyncMode.STRICT
                && waiting.size() < (size == null ? config.windows().perShard() : size)) {
            return; // the chunk is not complete: its last samples will flush it
        }
        if (!flush(waiting)) {
            scheduleFlush();
        }
    }

    @Override
    public void onEventTime(InternalTimer<Long, VoidNamespace> timer) {
    }

    /** The last, partial windows of a bounded input; their versions were published before they were admitted. */
    @Override
    public void endInput() throws Exception {
        List<Long> chunks = getKeyedStateBackend().<VoidNamespace>getKeys(BUFFER, VoidNamespace.INSTANCE)
                .map(k -> (Long) k).sorted().toList();
        long deadline = System.currentTimeMillis() + config.weightsTimeoutMillis();
        for (long chunk : chunks) {
            setCurrentKey(chunk);
            List<Sample> waiting = buffered();
            while (!waiting.isEmpty() && !flush(waiting)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("policy version " + waiting.get(0).getRolloutVersion()
                            + " did not appear in " + config.weightStoreRoot() + "/" + namespace + " within "
                            + config.weightsTimeoutMillis() + " ms");
                }
                Thread.sleep(50);
            }
        }
    }

    private List<Sample> buffered() throws Exception {
        List<Sample> out = new ArrayList<>();
        for (Sample s : buffer.get()) {
            out.add(s);
        }
        return out;
    }

    private void scheduleFlush() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        long interval = config.flushIntervalMillis();
        timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, (now / interval + 1) * interval);
    }

    /** Generates every waiting sample of the current chunk; false (nothing generated) when its version is missing. */
    private boolean flush(List<Sample> waiting) throws Exception {
        long needed = waiting.stream().mapToLong(Sample::getRolloutVersion).max().orElse(-1);
        if (!policyAt(needed)) {
            return false;
        }
        waiting.sort(Comparator.comparingInt(Sample::getShard).thenComparingLong(Sample::getSeq));
        for (int from = 0; from < waiting.size(); from += config.microBatch()) {
            generate(waiting.subList(from, Math.min(waiting.size(), from + config.microBatch())));
        }
        buffer.clear();
        count.clear();
        chunkSize.clear();
        return true;
    }

    /**
     * Moves the replica to the version the samples need: exactly {@code version} (strict), or the newest, which is at
     * least {@code version} (latest). False when that version cannot be read yet.
     */
    private boolean policyAt(long version) {
        if (config.sync() == SyncMode.STRICT) {
            if (version == modelVersion) {
                return true;
            }
            if (tryLoad(version)) {
                return true;
            }
            OptionalLong latest = store.latest(namespace);
            if (latest.isPresent() && latest.getAsLong() >= version) {
                throw new IllegalStateException("policy version " + version + " left the weight store before its "
                        + "rollouts ran; keep more versions (sip.weights.retain must exceed sip.sync.lag + 1)");
            }
            return false;
        }
        OptionalLong latest = store.latest(namespace);
        if (latest.isPresent() && latest.getAsLong() > modelVersion) {
            tryLoad(latest.getAsLong());
        }
        return model != null && modelVersion >= version;
    }

    /** Moves the replica to {@code version}; false when that version cannot be read (not yet, or no longer). */
    private boolean tryLoad(long version) {
        long started = time.start();
        try {
            return load(version);
        } finally {
            time.since(started);
        }
    }

    private boolean load(long version) {
        if (model != null) {
            try {
                if (store.loadInto(namespace, version, model)) { // straight into the replica's tensors
                    modelVersion = version;
                    return true;
                }
            } catch (RuntimeException e) {
                return false; // not there yet, or no longer
            }
        }
        PolicyWeights weights;
        try {
            weights = store.load(namespace, version);
        } catch (RuntimeException e) {
            return false;
        }
        if (model != null && model.config().equals(weights.config())) {
            model.loadWeights(weights.weights());
        } else {
            if (model != null) {
                model.close();
            }
            model = LlamaModel.createReplica(weights.config(), weights.weights(), config.precision());
        }
        modelVersion = version;
        return true;
    }

    private void generate(List<Sample> samples) {
        long start = System.nanoTime();
        List<CandidateSet> opened = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            String prefix = tokenizer.decode(TokenIds.unboxed(s.getPrefixTokens()));
            String suffix = tokenizer.decode(TokenIds.unboxed(s.getSuffixTokens()));
            opened.add(CandidateSets.open(s, prefix, suffix, null, tokenizer, 0));
        }
        List<CandidateSet> withRollouts = generator.generate(model, modelVersion, opened);
        time.since(start); // emitting is not the stage's work: the chained stages after it run inside collect
        for (CandidateSet set : withRollouts) {
            output.collect(new StreamRecord<>(set, set.getSample().getEventTimeMillis()));
        }
        rollouts.inc((long) samples.size() * config.rolloutsPerSample());
        rolloutTokens.inc(RolloutGenerator.rolloutTokens(withRollouts));
        batchMillis.update((System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void close() throws Exception {
        if (model != null) {
            model.close();
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
        super.close();
    }
}
