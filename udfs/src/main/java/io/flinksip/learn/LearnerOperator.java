package io.flinksip.learn;

import io.flinksip.model.LlamaModel;
import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.Objective;
import io.flinksip.schema.PolicyUpdate;
import io.flinksip.schema.TrainingExample;
import io.flinksip.weights.HfCheckpoint;
import io.flinksip.weights.WeightStore;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The learner: one global policy (parallelism 1, on a stream keyed by a constant). It buffers training examples in
 * keyed state and takes one optimizer step per {@code examplesPerStep} examples, sorted by (doc id, sample index) so
 * that a step's content does not depend on arrival order within the step. After each step it publishes the new
 * version to the weight store and emits a {@link PolicyUpdate}.
 *
 * <p>Its state (weights, AdamW moments, step, RNG, DPO reference) lives in keyed state on the configured backend
 * (RocksDB), as chunks far below RocksDB's 2 GiB value limit, written once per checkpoint rather than every step.
 * Buffered examples, the state and the source offsets belong to the same checkpoint, so every example is trained in
 * exactly one step across failures. On (re)start the learner publishes its restored step into a namespace of its own
 * (job id and attempt), so rollouts never read versions that a failed attempt wrote ahead of the restored step.
 */
public final class LearnerOperator extends AbstractStreamOperator<PolicyUpdate>
        implements OneInputStreamOperator<TrainingExample, PolicyUpdate>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LearnerOperator.class);
    /** The constant key of the learner's stream. */
    public static final int KEY = 0;

    private final LearnerConfig config;

    private transient PolicyTrainer trainer;
    private transient MapState<Integer, byte[]> stateChunks;
    private transient ListState<TrainingExample> pending;
    private transient ValueState<long[]> totals;
    private transient int pendingCount;
    private transient int storedChunks;
    private transient long droppedStale;
    private transient long failedBatches;
    private transient WeightStore store;
    private transient String namespace;
    private transient Counter stepsCounter;
    private transient Counter examplesCounter;
    private transient Counter staleCounter;
    private transient Counter truncatedCounter;
    private transient ExampleBatchTrainer batchTrainer;
    private transient Histogram stepTime;
    private transient volatile double lastLoss = Double.NaN;
    private transient volatile double lastReward = Double.NaN;
    private transient volatile double lastRolloutRate = Double.NaN;

    public LearnerOperator(LearnerConfig config) {
        this.config = config;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        stateChunks = getKeyedStateStore().getMapState(
                new MapStateDescriptor<>("learner-state-chunks", Types.INT,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        pending = getKeyedStateStore().getListState(
                new ListStateDescriptor<>("pending-examples", TypeInformation.of(TrainingExample.class)));
        totals = getKeyedStateStore().getState(
                new ValueStateDescriptor<>("learner-totals", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        setCurrentKey(KEY);
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; stateChunks.contains(i); i++) {
            chunks.add(stateChunks.get(i));
        }
        storedChunks = chunks.size();
        if (chunks.isEmpty()) {
            trainer = freshTrainer();
            LOG.info("learner starts a new policy: {} ({} parameters)", trainer.modelConfig(),
                    LlamaModel.parameterCount(trainer.modelConfig()));
        } else {
            trainer = PolicyTrainer.restore(TrainerStateCodec.decode(chunks), config.trainer());
            LOG.info("learner restored at step {}", trainer.step());
        }
        batchTrainer = new ExampleBatchTrainer(trainer, config.objective());
        pendingCount = 0;
        for (TrainingExample ignored : pending.get()) {
            pendingCount++;
        }
        long[] t = totals.value();
        droppedStale = t == null ? 0 : t[0];
        failedBatches = t == null ? 0 : t[1];
        var task = getRuntimeContext().getTaskInfo();
        namespace = getRuntimeContext().getJobInfo().getJobId() + "-" + task.getAttemptNumber();
        store = new WeightStore(config.weightStoreRoot());
        store.removeOtherNamespaces(namespace);
        publish(null);
    }

    private PolicyTrainer freshTrainer() throws IOException {
        if (config.initialCheckpoint() != null) {
            HfCheckpoint.Loaded loaded = HfCheckpoint.load(Path.of(config.initialCheckpoint()));
            return PolicyTrainer.create(loaded.config(), loaded.weights(), config.trainer(), config.initSeed());
        }
        return PolicyTrainer.create(config.model(), LlamaModel.initialWeights(config.model(), config.initSeed()),
                config.trainer(), config.initSeed());
    }

    @Override
    public void open() throws Exception {
        super.open();
        var group = getMetricGroup();
        stepsCounter = group.counter("steps");
        examplesCounter = group.counter("examplesTrained");
        staleCounter = group.counter("droppedStale");
        truncatedCounter = group.counter("truncatedContinuations");
        stepTime = group.histogram("stepTimeMs", new DescriptiveStatisticsHistogram(500));
        group.gauge("loss", () -> lastLoss);
        group.gauge("meanReward", () -> lastReward);
        group.gauge("rolloutChosenRate", () -> lastRolloutRate);
        group.gauge("policyVersion", () -> trainer.step());
        group.gauge("pendingExamples", () -> pendingCount);
    }

    /** Lineage namespace of the versions this attempt publishes; rollouts of the same attempt read from it. */
    public static String namespaceOf(String jobId, int attempt) {
        return jobId + "-" + attempt;
    }

    @Override
    public void processElement(StreamRecord<TrainingExample> record) throws Exception {
        TrainingExample example = record.getValue();
        if (example.getPolicyVersion() >= 0 && trainer.step() - example.getPolicyVersion() > config.maxStaleness()) {
            droppedStale++;
            staleCounter.inc();
            saveTotals();
            return;
        }
        pending.add(example);
        pendingCount++;
        if (pendingCount >= config.examplesPerStep()) {
            trainStep();
        }
    }

    @Override
    public void endInput() throws Exception {
        setCurrentKey(KEY);
        if (pendingCount > 0) {
            trainStep(); // the last, partial step of a bounded input
        }
        export(true);
    }

    private void trainStep() throws Exception {
        List<TrainingExample> batch = new ArrayList<>(pendingCount);
        for (TrainingExample e : pending.get()) {
            batch.add(e);
        }
        pending.clear();
        pendingCount = 0;
        batch.sort(Comparator.comparing((TrainingExample e) -> e.getDocId()).thenComparingInt(
                TrainingExample::getSampleIndex));
        long start = System.nanoTime();
        StepResult result;
        try {
            long truncatedBefore = batchTrainer.truncated();
            result = batchTrainer.train(batch);
            truncatedCounter.inc(batchTrainer.truncated() - truncatedBefore);
        } catch (AdamW.NonFiniteGradientException | IllegalArgumentException e) {
            // Never poison the weights nor crash-loop on one bad batch: skip it, count it, keep running.
            failedBatches++;
            saveTotals();
            LOG.warn("skipped a batch of {} examples: {}", batch.size(), e.getMessage());
            return;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        stepTime.update(millis);
        stepsCounter.inc();
        examplesCounter.inc(batch.size());
        PolicyUpdate update = summarize(batch, result, millis);
        publish(update);
        export(false);
        lastLoss = result.loss();
        lastReward = update.getMeanReward() == null ? Double.NaN : update.getMeanReward();
        lastRolloutRate = update.getRolloutChosenRate() == null ? Double.NaN : update.getRolloutChosenRate();
        output.collect(new StreamRecord<>(update, update.getEventTimeMillis()));
    }

    private PolicyUpdate summarize(List<TrainingExample> batch, StepResult r, long millis) {
        Map<String, Long> kinds = new HashMap<>();
        double sum = 0;
        double sumSq = 0;
        long rollouts = 0;
        long eventTime = Long.MIN_VALUE;
        for (TrainingExample e : batch) {
            Candidate c = e.getChosen();
            kinds.merge(c.getKind().name(), 1L, Long::sum);
            if (c.getKind() == CandidateKind.ROLLOUT) {
                rollouts++;
            }
            sum += e.getChosenScore();
            sumSq += e.getChosenScore() * e.getChosenScore();
            eventTime = Math.max(eventTime, e.getEventTimeMillis());
        }
        int n = batch.size();
        List<String> trained = new ArrayList<>(n);
        for (TrainingExample e : batch) {
            trained.add(e.getDocId() + "#" + e.getSampleIndex());
        }
        boolean sip = config.objective() != Objective.NTP;
        double mean = sum / n;
        return PolicyUpdate.newBuilder()
                .setStep(trainer.step())
                .setVersion(trainer.step())
                .setObjective(config.objective())
                .setLoss(r.loss())
                .setMeanReward(sip ? mean : null)
                .setRewardStd(sip ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : null)
                .setRolloutChosenRate(sip ? rollouts / (double) n : null)
                .setChosenKindCounts(kinds)
                .setExamples(n)
                .setTokens(r.tokens())
                .setDroppedStale(droppedStale)
                .setDeadLettered(failedBatches)
                .setLearningRate(r.learningRate())
                .setGradNorm(r.gradNorm())
                .setWallTimeMillis(millis)
                .setEventTimeMillis(eventTime == Long.MIN_VALUE ? 0 : eventTime)
                .setTrainedSamples(trained)
                .build();
    }

    private void publish(PolicyUpdate update) {
        java.util.LinkedHashMap<String, float[]> weights = trainer.weights();
        store.publish(namespace, trainer.step(), trainer.step(), trainer.modelConfig(), List.copyOf(weights.keySet()),
                weights.values().toArray(new float[0][]),
                update == null ? null : org.apache.avro.generic.GenericData.get().toString(update));
        store.retain(namespace, config.retainVersions());
    }

    /** Writes step-NNNNNNNN atomically (temp directory, then rename): a checkpoint is complete or absent. */
    private void export(boolean endOfInput) {
        if (config.exportDir() == null) {
            return;
        }
        long step = trainer.step();
        boolean due = config.exportEverySteps() > 0 && step > 0 && step % config.exportEverySteps() == 0;
        if (!due && !endOfInput) {
            return;
        }
        try {
            Path dir = Path.of(config.exportDir());
            Files.createDirectories(dir);
            Path target = dir.resolve(String.format("step-%08d", step));
            Path tmp = dir.resolve(String.format(".tmp-step-%08d-%d", step, System.nanoTime()));
            Path tokenizer = null;
            if (config.tokenizerJson() != null) {
                tokenizer = Files.createTempFile("tokenizer", ".json");
                Files.writeString(tokenizer, config.tokenizerJson(), StandardCharsets.UTF_8);
            }
            HfCheckpoint.export(tmp, trainer.modelConfig(), trainer.weights(), tokenizer);
            if (tokenizer != null) {
                Files.delete(tokenizer);
            }
            if (Files.exists(target)) {
                deleteRecursively(target); // a step redone after a restore replaces its earlier export
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("exporting step " + step, e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void saveTotals() throws IOException {
        try {
            totals.update(new long[] {droppedStale, failedBatches});
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        setCurrentKey(KEY);
        List<byte[]> chunks = TrainerStateCodec.encode(trainer.snapshot(), config.stateChunkBytes());
        for (int i = 0; i < chunks.size(); i++) {
            stateChunks.put(i, chunks.get(i));
        }
        for (int i = chunks.size(); i < storedChunks; i++) {
            stateChunks.remove(i);
        }
        storedChunks = chunks.size();
        saveTotals();
    }

    @Override
    public void close() throws Exception {
        if (trainer != null) {
            trainer.close();
        }
        super.close();
    }
}
