package io.flinksip.rollout;

import io.flinksip.model.LlamaModel;
import io.flinksip.sync.SyncMode;
import io.flinksip.schema.CandidateSet;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenizerBackend;
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
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * The rollout stage: a policy replica per subtask that samples K continuations for each prefix, micro-batched (one
 * batched, KV-cached pass per batch), and appends them to the candidate set tagged with the policy version and seed.
 *
 * <p>Weights come from the weight store, from the namespace of this job attempt. Each sample names its rollout version
 * (set by the sequence stage, which admits a sample only once that version is published): in {@code latest} mode the
 * replica moves to the newest version before each micro-batch, which is never older than the sample's; in
 * {@code strict} mode each sample is generated with exactly its version, one prefix per pass, so its rollouts are a
 * function of the sample, the version and the seed alone. A sample whose version is not readable yet waits in the
 * buffer, which is operator state, and a processing-time timer polls again; the operator never blocks its thread.
 */
public final class RolloutOperator extends AbstractStreamOperator<CandidateSet>
        implements OneInputStreamOperator<CandidateSet, CandidateSet>, BoundedOneInput, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    private final RolloutConfig config;

    private transient List<CandidateSet> buffer;
    private transient ListState<CandidateSet> bufferState;
    private transient boolean timerPending;
    private transient WeightStore store;
    private transient String namespace;
    private transient LlamaModel model;
    private transient long modelVersion;
    private transient TextTokenizer tokenizer;
    private transient RolloutGenerator generator;
    private transient Counter rollouts;
    private transient Counter rolloutTokens;
    private transient Histogram batchMillis;

    public RolloutOperator(RolloutConfig config) {
        this.config = config;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        bufferState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("rollout-buffer", TypeInformation.of(CandidateSet.class)));
        buffer = new ArrayList<>();
        for (CandidateSet s : bufferState.get()) {
            buffer.add(s);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        store = new WeightStore(config.weightStoreRoot());
        namespace = WeightStore.namespaceOf(getRuntimeContext().getJobInfo().getJobId().toString(),
                getRuntimeContext().getTaskInfo().getAttemptNumber());
        tokenizer = TokenizerJson.load(config.tokenizerJson(), TokenizerBackend.PURE_JAVA);
        generator = new RolloutGenerator(config, tokenizer);
        modelVersion = -1;
        var group = getMetricGroup();
        rollouts = group.counter("rollouts");
        rolloutTokens = group.counter("rolloutTokens");
        group.meter("rolloutTokensPerSecond", new MeterView(rolloutTokens));
        batchMillis = group.histogram("batchMs", new DescriptiveStatisticsHistogram(500));
        group.gauge("policyVersion", () -> modelVersion);
        if (!buffer.isEmpty()) {
            scheduleFlush();
        }
    }

    @Override
    public void processElement(StreamRecord<CandidateSet> record) {
        buffer.add(record.getValue());
        if (config.sync() == SyncMode.STRICT || buffer.size() >= config.microBatch()) {
            flush();
        } else {
            scheduleFlush();
        }
    }

    @Override
    public void onProcessingTime(long time) {
        timerPending = false;
        flush();
    }

    @Override
    public void endInput() throws Exception {
        long deadline = System.currentTimeMillis() + config.weightsTimeoutMillis();
        while (!buffer.isEmpty()) {
            if (!flush()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("no policy version appeared in " + config.weightStoreRoot()
                            + "/" + namespace + " within " + config.weightsTimeoutMillis() + " ms");
                }
                Thread.sleep(50);
            }
        }
    }

    private void scheduleFlush() {
        if (!timerPending && !buffer.isEmpty()) {
            timerPending = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + config.flushIntervalMillis(), this);
        }
    }

    /** Generates for every buffered sample; false when a sample's policy version is not readable yet. */
    private boolean flush() {
        if (buffer.isEmpty()) {
            return true;
        }
        boolean done = config.sync() == SyncMode.STRICT ? flushExact() : flushNewest();
        if (!done) {
            scheduleFlush();
        }
        return done;
    }

    private boolean flushNewest() {
        OptionalLong latest = store.latest(namespace);
        if (latest.isPresent() && latest.getAsLong() > modelVersion) {
            tryLoad(latest.getAsLong());
        }
        long needed = buffer.stream().mapToLong(s -> s.getSample().getRolloutVersion()).max().orElse(-1);
        if (model == null || modelVersion < needed) {
            return false;
        }
        while (!buffer.isEmpty()) {
            int n = Math.min(buffer.size(), config.microBatch());
            List<CandidateSet> batch = new ArrayList<>(buffer.subList(0, n));
            buffer.subList(0, n).clear();
            generate(batch);
        }
        return true;
    }

    private boolean flushExact() {
        buffer.sort(Comparator.comparingLong(s -> s.getSample().getRolloutVersion()));
        while (!buffer.isEmpty()) {
            long version = buffer.get(0).getSample().getRolloutVersion();
            if (version != modelVersion && !tryLoad(version)) {
                OptionalLong latest = store.latest(namespace);
                if (latest.isPresent() && latest.getAsLong() >= version) {
                    throw new IllegalStateException("policy version " + version + " left the weight store before "
                            + "its rollouts ran; keep more versions (sip.weights.retain must exceed sip.sync.lag + 1)");
                }
                return false;
            }
            generate(List.of(buffer.remove(0)));
        }
        return true;
    }

    /** Moves the replica to {@code version}; false when that version cannot be read (not yet, or no longer). */
    private boolean tryLoad(long version) {
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
            model = LlamaModel.create(weights.config(), weights.weights(), false);
        }
        modelVersion = version;
        return true;
    }

    private void generate(List<CandidateSet> batch) {
        long start = System.nanoTime();
        List<CandidateSet> withRollouts = generator.generate(model, modelVersion, batch);
        for (CandidateSet set : withRollouts) {
            output.collect(new StreamRecord<>(set, set.getSample().getEventTimeMillis()));
        }
        rollouts.inc((long) batch.size() * config.rolloutsPerSample());
        rolloutTokens.inc(RolloutGenerator.rolloutTokens(withRollouts));
        batchMillis.update((System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        bufferState.update(buffer);
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
