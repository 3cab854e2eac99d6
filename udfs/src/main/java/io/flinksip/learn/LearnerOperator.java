package io.flinksip.learn;

import io.flinksip.deadletter.DeadLetters;
import io.flinksip.metrics.StageTime;
import io.flinksip.model.DjlRuntime;
import io.flinksip.model.LlamaModel;
import io.flinksip.schema.DeadLetter;
import io.flinksip.schema.PolicyUpdate;
import io.flinksip.schema.TrainingExample;
import io.flinksip.sync.Accounting;
import io.flinksip.sync.VerdictLog;
import io.flinksip.weights.HfCheckpoint;
import io.flinksip.weights.StepExports;
import io.flinksip.weights.WeightStore;
import org.apache.avro.generic.GenericData;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The learner: one global policy (parallelism 1, both inputs keyed by a constant) trained in step windows.
 *
 * <p>Input 1 is training examples, input 2 the dead letters of samples that left the pipeline after the sequence stage
 * (rewrite, judge or reward failures) and the ends of shards of a bounded input. Examples and dead letters carry the
 * sample's step window; once every sample of window w is accounted for (an example or a dead letter,
 * {@link io.flinksip.sync.StepWindows#size()} in all, fewer once shards have ended), the learner takes one optimizer
 * step on the window's examples, sorted by (doc id, sample index), publishes version w + 1 and emits a
 * {@link PolicyUpdate}. Which samples form a step therefore depends only on how the sequence stage numbered them, and
 * nothing is ever dropped: an example further behind than the staleness bound (possible only after a restore from
 * foreign state) or in a batch whose gradient is not finite is a dead letter with its id, and a window whose samples
 * were all dead-lettered still advances the version (with the weights unchanged).
 *
 * <p>Its state (weights, AdamW moments, step, RNG, DPO reference) lives in keyed state on the configured backend
 * (RocksDB), as chunks far below RocksDB's 2 GiB value limit, written once per checkpoint rather than every step.
 * Buffered examples, window counts, the state and the source offsets belong to the same checkpoint, so every sample is
 * trained in exactly one step across failures. On (re)start the learner republishes its restored version into a
 * namespace of its own (job id and attempt), so rollouts never read versions a failed attempt wrote ahead of it.
 */
public final class LearnerOperator extends AbstractStreamOperator<PolicyUpdate>
        implements TwoInputStreamOperator<TrainingExample, Accounting, PolicyUpdate>, BoundedMultiInput,
        ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LearnerOperator.class);
    /** The constant key of the learner's inputs. */
    public static final int KEY = 0;
    public static final String STAGE = "learner";
    private static final long PROGRESS_INTERVAL_MILLIS = 1000;

    private final LearnerConfig config;

    private transient PolicyTrainer trainer;
    private transient ExampleBatchTrainer batchTrainer;
    private transient MapState<Integer, byte[]> stateChunks;
    private transient MapState<String, TrainingExample> examples;
    private transient MapState<Long, Long> accounted;
    private transient MapState<Long, Long> windowDeadLetters;
    private transient MapState<String, Long> windowShardCounts;
    private transient MapState<Long, String> windowSkips;
    private transient MapState<String, Long> deadLetterTotals;
    private transient MapState<Integer, Long> shardEnds;
    private transient long[] endedShardSamples;
    private transient ValueState<long[]> progress;
    private transient MapState<String, byte[]> previousVersionChunks;
    /** With state by reference: the files the last checkpoint's learner state is in ({@link LearnerStateFiles}). */
    private transient ValueState<String> stateFilesRef;
    /** Checkpoints by reference, or null when checkpoints hold the state. */
    private transient StateFileCheckpoints stateFiles;
    /** Whether the snapshot being taken is a savepoint (which holds the state itself). */
    private transient boolean snapshotIsSavepoint;
    /** The state-file write the snapshot being taken waits for, or null. */
    private transient java.util.concurrent.CompletableFuture<Void> snapshotWrite;
    /** The last published versions (oldest first, the current one last), for strict mode's restores. */
    private transient java.util.LinkedHashMap<Long, float[][]> recentVersions;
    private transient int storedChunks;
    /** The previous versions the keyed state holds itself (savepoints; checkpoints without state by reference). */
    private transient java.util.Set<Long> storedPreviousVersions;
    private transient long nextWindow;
    private transient long lastWindowSeen;
    private transient int pendingCount;
    private transient int endedInputs;
    private transient WeightStore store;
    private transient String namespace;
    private transient StepExports exports;
    /** The update of the newest version when it was not published (every P-th is), or null. */
    private transient PolicyUpdate unpublished;
    private transient String lastProgress;
    private transient VerdictLog verdicts;
    private transient java.util.TreeMap<Long, Long> windowAtCheckpoint;
    private transient java.util.concurrent.ExecutorService verdictCleaner;
    private transient Counter stepsCounter;
    private transient Counter examplesCounter;
    private transient Counter deadLetterCounter;
    private transient Counter truncatedCounter;
    private transient Histogram stepTime;
    private transient StageTime time;
    private transient volatile double lastLoss = Double.NaN;
    private transient volatile double lastReward = Double.NaN;
    private transient volatile double lastRolloutRate = Double.NaN;

    public LearnerOperator(LearnerConfig config) {
        this.config = config;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        var keyed = getKeyedStateStore();
        stateChunks = keyed.getMapState(new MapStateDescriptor<>("learner-state-chunks", Types.INT,
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        examples = keyed.getMapState(new MapStateDescriptor<>("window-examples", Types.STRING,
                TypeInformation.of(TrainingExample.class)));
        accounted = keyed.getMapState(new MapStateDescriptor<>("window-accounted", Types.LONG, Types.LONG));
        windowDeadLetters = keyed.getMapState(new MapStateDescriptor<>("window-dead-letters", Types.LONG, Types.LONG));
        windowShardCounts = keyed.getMapState(new MapStateDescriptor<>("window-shard-counts", Types.STRING,
                Types.LONG));
        windowSkips = keyed.getMapState(new MapStateDescriptor<>("window-skips", Types.LONG, Types.STRING));
        deadLetterTotals = keyed.getMapState(new MapStateDescriptor<>("dead-letter-totals", Types.STRING, Types.LONG));
        shardEnds = keyed.getMapState(new MapStateDescriptor<>("shard-ends", Types.INT, Types.LONG));
        progress = keyed.getState(new ValueStateDescriptor<>("learner-progress",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        previousVersionChunks = keyed.getMapState(new MapStateDescriptor<>("previous-version-chunks", Types.STRING,
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        setCurrentKey(KEY);
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; stateChunks.contains(i); i++) {
            chunks.add(stateChunks.get(i));
        }
        storedChunks = chunks.size();
        storedPreviousVersions = new java.util.HashSet<>();
        for (String key : previousVersionChunks.keys()) {
            storedPreviousVersions.add(Long.parseLong(key.substring(0, key.indexOf('/'))));
        }
        stateFilesRef = keyed.getState(new ValueStateDescriptor<>("learner-state-files", Types.STRING));
        String jobId = getRuntimeContext().getJobInfo().getJobId().toString();
        stateFiles = !config.stateByReference() ? null : new StateFileCheckpoints(new LearnerStateFiles(
                new WeightStore(config.publishing().weightStoreRoot()).learnerStateRoot(jobId)), retainedCheckpoints());
        String filesRef = stateFilesRef.value();
        LearnerStateFiles.StateRef restoredRef = null;
        if (filesRef != null) {
            LearnerStateFiles.StateRef ref = LearnerStateFiles.StateRef.decode(filesRef);
            restoredRef = ref;
            long restoredFrom = context.getRestoredCheckpointId().orElse(-1L);
            TrainerState state = stateFiles != null ? stateFiles.restore(ref, restoredFrom)
                    : new LearnerStateFiles(ref.trainer().dir()).read(ref); // the option was switched off since
            trainer = PolicyTrainer.restore(state, config.trainer());
            LOG.info("learner restored at step {} from {}", trainer.step(), ref.trainer().dir());
        } else if (chunks.isEmpty()) {
            trainer = freshTrainer();
            LOG.info("learner starts a new policy: {} ({} parameters)", trainer.modelConfig(),
                    LlamaModel.parameterCount(trainer.modelConfig()));
        } else {
            trainer = PolicyTrainer.restore(TrainerStateCodec.decode(chunks), config.trainer());
            LOG.info("learner restored at step {}", trainer.step());
        }
        batchTrainer = new ExampleBatchTrainer(trainer, config.objective());
        long[] p = progress.value();
        nextWindow = p == null ? 0 : p[0];
        lastWindowSeen = p == null ? -1 : p[1];
        endedShardSamples = new long[config.windows().shards()];
        java.util.Arrays.fill(endedShardSamples, -1);
        for (Map.Entry<Integer, Long> end : shardEnds.entries()) {
            endedShardSamples[end.getKey()] = end.getValue();
        }
        pendingCount = 0;
        for (String ignored : examples.keys()) {
            pendingCount++;
        }
        namespace = WeightStore.namespaceOf(getRuntimeContext().getJobInfo().getJobId().toString(),
                getRuntimeContext().getTaskInfo().getAttemptNumber());
        store = new WeightStore(config.publishing().weightStoreRoot());
        store.removeOtherNamespaces(namespace);
        recentVersions = new java.util.LinkedHashMap<>();
        republishPreviousVersions(restoredRef);
        exports = config.exporting().dir() == null ? null : new StepExports(Path.of(config.exporting().dir()),
                config.exporting().tokenizerJson());
        verdicts = config.verdictLogRoot() == null ? null : new VerdictLog(config.verdictLogRoot());
        windowAtCheckpoint = new java.util.TreeMap<>();
        publish(nextWindow, null);
    }

    /**
     * Strict mode's rollouts in flight at the checkpoint need exactly the versions up to the lag before the restored
     * one; the failed attempt's namespace is abandoned, so they are republished into the new one: from the version
     * files a checkpoint by reference names, or from the state itself (savepoints, and checkpoints that hold it).
     */
    private void republishPreviousVersions(LearnerStateFiles.StateRef restoredRef) throws Exception {
        List<String> names = LlamaModel.parameterNames(trainer.modelConfig());
        java.util.TreeMap<Long, float[][]> previous = new java.util.TreeMap<>();
        if (restoredRef != null && !restoredRef.previousVersions().isEmpty()) {
            previous.putAll(new LearnerStateFiles(restoredRef.trainer().dir()).readPreviousVersions(restoredRef,
                    names));
        }
        java.util.TreeMap<Long, java.util.TreeMap<Integer, byte[]>> byVersion = new java.util.TreeMap<>();
        for (Map.Entry<String, byte[]> e : previousVersionChunks.entries()) {
            String[] parts = e.getKey().split("/");
            byVersion.computeIfAbsent(Long.parseLong(parts[0]), v -> new java.util.TreeMap<>())
                    .put(Integer.parseInt(parts[1]), e.getValue());
        }
        int[] sizes = trainer.weightsView().values().stream().mapToInt(w -> w.length).toArray();
        for (Map.Entry<Long, java.util.TreeMap<Integer, byte[]>> v : byVersion.entrySet()) {
            previous.put(v.getKey(), TrainerStateCodec.decodeWeights(new ArrayList<>(v.getValue().values()), sizes));
        }
        for (Map.Entry<Long, float[][]> v : previous.entrySet()) {
            store.publish(namespace, v.getKey(), trainer.step(), trainer.modelConfig(), names, v.getValue(), null);
            recentVersions.put(v.getKey(), v.getValue());
        }
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
        deadLetterCounter = group.counter("deadLettered");
        truncatedCounter = group.counter("truncatedContinuations");
        stepTime = group.histogram("stepTimeMs", new DescriptiveStatisticsHistogram(500));
        group.gauge("loss", () -> lastLoss);
        group.gauge("meanReward", () -> lastReward);
        group.gauge("rolloutChosenRate", () -> lastRolloutRate);
        group.gauge("policyVersion", () -> nextWindow);
        group.gauge("optimizerSteps", () -> trainer.step());
        group.gauge("pendingExamples", () -> pendingCount);
        int onGpu = DjlRuntime.onGpu();
        group.gauge("onGpu", () -> onGpu);
        time = StageTime.register(group, STAGE);
        scheduleProgress();
    }

    @Override
    public void processElement1(StreamRecord<TrainingExample> record) throws Exception {
        TrainingExample e = record.getValue();
        if (e.getWindow() < nextWindow) {
            // Cannot happen with sequence numbers from this lineage; never train a closed window twice.
            emitDeadLetter(e, "stale", "its step window " + e.getWindow() + " was already trained");
            return;
        }
        examples.put(e.getShard() + "/" + e.getSeq(), e);
        pendingCount++;
        account(e.getWindow(), e.getShard(), false);
        closeCompleteWindows();
    }

    @Override
    public void processElement2(StreamRecord<Accounting> record) throws Exception {
        Accounting a = record.getValue();
        if (a.isSkip()) {
            String range = a.skippedShard + "/" + a.skippedFrom + "-" + a.skippedTo;
            String before = windowSkips.get(a.skippedWindow);
            windowSkips.put(a.skippedWindow, before == null ? range : before + "," + range);
            for (long seq = a.skippedFrom; seq < a.skippedTo; seq++) {
                account(a.skippedWindow, a.skippedShard, false);
            }
            closeCompleteWindows();
            return;
        }
        if (a.isShardEnd()) {
            shardEnds.put(a.endedShard, a.shardSamples);
            endedShardSamples[a.endedShard] = a.shardSamples;
            closeCompleteWindows();
            return;
        }
        DeadLetter d = a.deadLetter;
        if (d.getWindow() == null) {
            return; // dead-lettered before it was sequenced: it belongs to no window
        }
        if (d.getWindow() < nextWindow) {
            LOG.warn("dead letter for step window {}, which was already trained: {}", d.getWindow(), d);
            return;
        }
        deadLetterTotals.put(d.getReason(), total(d.getReason()) + 1);
        account(d.getWindow(), d.getShard() == null ? 0 : d.getShard(), true);
        closeCompleteWindows();
    }

    private void account(long window, int shard, boolean deadLetter) throws Exception {
        Long n = accounted.get(window);
        accounted.put(window, n == null ? 1 : n + 1);
        if (config.windows().shards() > 1) { // only progress displays need a shard's share of its window
            String key = window + "/" + shard;
            Long s = windowShardCounts.get(key);
            windowShardCounts.put(key, s == null ? 1 : s + 1);
        }
        if (deadLetter) {
            Long d = windowDeadLetters.get(window);
            windowDeadLetters.put(window, d == null ? 1 : d + 1);
        }
        lastWindowSeen = Math.max(lastWindowSeen, window);
        saveProgress();
    }

    private void closeCompleteWindows() throws Exception {
        while (true) {
            long size = config.windows().sizeOf(nextWindow, endedShardSamples);
            Long n = accounted.get(nextWindow);
            if (size == 0 || (n == null ? 0 : n) < size) {
                return; // incomplete, or past the end of every shard
            }
            closeWindow();
        }
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (++endedInputs < 2) {
            return;
        }
        setCurrentKey(KEY);
        // All input is in: the last windows may be partial, and any window short of samples means one was lost.
        while (nextWindow <= lastWindowSeen || pendingCount > 0) {
            Long n = accounted.get(nextWindow);
            long size = config.windows().sizeOf(nextWindow, endedShardSamples);
            if (n == null || n < size) {
                LOG.error("step window {} ended with {} of {} samples accounted for: samples went missing upstream",
                        nextWindow, n == null ? 0 : n, size);
            }
            closeWindow();
        }
        if (unpublished != null) {
            publish(nextWindow, unpublished); // the final version is published whatever P is
        }
        if (exports != null) {
            exports.export(nextWindow, trainer.modelConfig(), trainer.weights());
        }
    }

    /** Trains window {@code nextWindow} and publishes the next version. */
    private void closeWindow() throws Exception {
        long started = time.start();
        try {
            trainAndPublish();
        } finally {
            time.since(started);
        }
    }

    private void trainAndPublish() throws Exception {
        long window = nextWindow;
        List<TrainingExample> batch = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, TrainingExample> entry : examples.entries()) {
            if (entry.getValue().getWindow() == window) {
                batch.add(entry.getValue());
                keys.add(entry.getKey());
            }
        }
        for (String key : keys) {
            examples.remove(key);
        }
        pendingCount -= keys.size();
        batch.sort(Comparator.comparing((TrainingExample e) -> e.getDocId())
                .thenComparingInt(TrainingExample::getSampleIndex).thenComparingInt(TrainingExample::getShard)
                .thenComparingLong(TrainingExample::getSeq)); // a total order: document ids may repeat
        long stale = 0;
        List<TrainingExample> fresh = new ArrayList<>(batch.size());
        long invalid = 0;
        for (TrainingExample e : batch) {
            String problem = batchTrainer.problem(e);
            if (problem != null) {
                emitDeadLetter(e, "invalid_example", problem);
                invalid++;
            } else if (e.getPolicyVersion() >= 0 && window - e.getPolicyVersion() > config.maxStaleness()) {
                emitDeadLetter(e, "stale", "generated by version " + e.getPolicyVersion() + ", more than "
                        + config.maxStaleness() + " versions before the step's version " + window);
                stale++;
            } else {
                fresh.add(e);
            }
        }
        long start = System.nanoTime();
        StepResult result = fresh.isEmpty() ? null : train(fresh);
        List<TrainingExample> trained = result == null ? List.of() : fresh;
        long millis = (System.nanoTime() - start) / 1_000_000;
        long failed = result == null ? fresh.size() : 0;
        Long windowDead = windowDeadLetters.get(window);
        long deadLettered = (windowDead == null ? 0 : windowDead) + stale + invalid + failed;

        String skips = windowSkips.get(window);
        nextWindow = window + 1;
        accounted.remove(window);
        windowDeadLetters.remove(window);
        windowSkips.remove(window);
        for (int shard = 0; config.windows().shards() > 1 && shard < config.windows().shards(); shard++) {
            windowShardCounts.remove(window + "/" + shard);
        }
        saveProgress();
        Map<String, Long> totals = new HashMap<>();
        for (Map.Entry<String, Long> t : deadLetterTotals.entries()) {
            totals.put(t.getKey(), t.getValue());
        }
        PolicyUpdate update = StepSummary.of(config.objective(), nextWindow, trainer.step(), trained, result, millis,
                deadLettered, stale, totals, skips == null ? List.of() : List.of(skips.split(",")));
        if (config.publishing().publishes(nextWindow)) {
            publish(nextWindow, update);
        } else {
            unpublished = update;
        }
        if (exports != null && config.exporting().everySteps() > 0
                && nextWindow % config.exporting().everySteps() == 0) {
            exports.export(nextWindow, trainer.modelConfig(), trainer.weights());
        }
        stepsCounter.inc();
        examplesCounter.inc(trained.size());
        stepTime.update(millis);
        if (result != null) {
            lastLoss = result.loss();
            lastReward = update.getMeanReward() == null ? Double.NaN : update.getMeanReward();
            lastRolloutRate = update.getRolloutChosenRate() == null ? Double.NaN : update.getRolloutChosenRate();
        }
        output.collect(new StreamRecord<>(update, update.getEventTimeMillis()));
    }

    /** One optimizer step; a batch that cannot be trained is dead-lettered (returns null), never retried or crashed on. */
    private StepResult train(List<TrainingExample> batch) throws Exception {
        try {
            long truncatedBefore = batchTrainer.truncated();
            StepResult result = batchTrainer.train(batch);
            truncatedCounter.inc(batchTrainer.truncated() - truncatedBefore);
            return result;
        } catch (AdamW.NonFiniteGradientException | IllegalArgumentException e) {
            String reason = e instanceof AdamW.NonFiniteGradientException ? "non_finite_gradient" : "invalid_batch";
            LOG.warn("dead-lettering a batch of {} examples ({}): {}", batch.size(), reason, e.getMessage());
            for (TrainingExample example : batch) {
                emitDeadLetter(example, reason, e.getMessage());
            }
            return null;
        }
    }

    private void emitDeadLetter(TrainingExample e, String reason, String detail) throws Exception {
        DeadLetter letter = DeadLetters.of(STAGE, reason, detail, e.getDocId(), e.getSampleIndex(), null);
        if (e.getWindow() >= 0) {
            letter.setShard(e.getShard());
            letter.setSeq(e.getSeq());
            letter.setWindow(e.getWindow());
        }
        deadLetterTotals.put(reason, total(reason) + 1);
        deadLetterCounter.inc();
        output.collect(DeadLetters.TAG, new StreamRecord<>(letter, e.getEventTimeMillis()));
    }

    private long total(String reason) throws Exception {
        Long n = deadLetterTotals.get(reason);
        return n == null ? 0 : n;
    }

    private void saveProgress() throws IOException {
        try {
            progress.update(new long[] {nextWindow, lastWindowSeen});
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void publish(long version, PolicyUpdate update) {
        unpublished = null;
        // The store writes the weights out before this returns, so the trainer's own arrays serve (no copy of the
        // model per version); strict mode keeps recent versions, and those need copies of their own.
        java.util.LinkedHashMap<String, float[]> weights = config.publishing().keepPreviousVersions() > 0
                ? trainer.weights() : trainer.weightsView();
        float[][] values = weights.values().toArray(new float[0][]);
        store.publish(namespace, version, trainer.step(), trainer.modelConfig(), List.copyOf(weights.keySet()), values,
                update == null ? null : GenericData.get().toString(update));
        store.retain(namespace, config.publishing().retainVersions());
        if (config.publishing().keepPreviousVersions() > 0) {
            recentVersions.put(version, values); // a copy (see above): training does not touch it
            while (recentVersions.size() > config.publishing().keepPreviousVersions() + 1) {
                recentVersions.remove(recentVersions.keySet().iterator().next());
            }
        }
    }

    private void scheduleProgress() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService().registerTimer(now + PROGRESS_INTERVAL_MILLIS, this);
    }

    /** Writes where the current window stands, for progress displays: which step the job is waiting to complete. */
    @Override
    public void onProcessingTime(long time) throws Exception {
        setCurrentKey(KEY);
        Long n = accounted.get(nextWindow);
        List<Integer> shortShards = new ArrayList<>();
        for (int shard = 0; config.windows().shards() > 1 && shard < config.windows().shards(); shard++) {
            Long have = windowShardCounts.get(nextWindow + "/" + shard);
            if ((have == null ? 0 : have) < config.windows().shareOf(nextWindow, endedShardSamples[shard])) {
                shortShards.add(shard);
            }
        }
        String json = String.format("{\"version\": %d, \"window\": %d, \"accounted\": %d, \"windowSize\": %d, "
                + "\"pendingExamples\": %d, \"waitingForShards\": %s}", nextWindow, nextWindow, n == null ? 0 : n,
                config.windows().sizeOf(nextWindow, endedShardSamples), pendingCount, shortShards);
        if (!json.equals(lastProgress)) {
            store.writeProgress(namespace, json);
            lastProgress = json;
        }
        scheduleProgress();
    }

    /**
     * Notes whether this snapshot is a savepoint, and makes the checkpoint's asynchronous phase wait for the state
     * files the snapshot references ({@link StateWriteAwaitingFuture}).
     */
    @Override
    public org.apache.flink.streaming.api.operators.OperatorSnapshotFutures snapshotState(long checkpointId,
            long timestamp, org.apache.flink.runtime.checkpoint.CheckpointOptions options,
            org.apache.flink.runtime.state.CheckpointStreamFactory factory) throws Exception {
        snapshotIsSavepoint = options.getCheckpointType().isSavepoint();
        snapshotWrite = null;
        var futures = super.snapshotState(checkpointId, timestamp, options, factory);
        if (snapshotWrite != null) {
            futures.setKeyedStateManagedFuture(new StateWriteAwaitingFuture(futures.getKeyedStateManagedFuture(),
                    snapshotWrite));
        }
        return futures;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        long started = time.start();
        try {
            snapshotTrainer(context);
        } finally {
            time.since(started); // the learner's synchronous part of a checkpoint is its work too
        }
    }

    private void snapshotTrainer(StateSnapshotContext context) throws Exception {
        setCurrentKey(KEY);
        java.util.LinkedHashMap<Long, float[][]> previous = new java.util.LinkedHashMap<>(recentVersions);
        previous.remove(nextWindow); // the current version is the trainer state itself
        if (!storedPreviousVersions.isEmpty()) {
            previousVersionChunks.clear();
            storedPreviousVersions.clear();
        }
        if (stateFiles != null && !snapshotIsSavepoint) {
            referenceStateFiles(context.getCheckpointId(), previous);
        } else {
            holdState();
            for (Map.Entry<Long, float[][]> v : previous.entrySet()) {
                List<byte[]> weightChunks = TrainerStateCodec.encodeWeights(v.getValue(), config.stateChunkBytes());
                for (int i = 0; i < weightChunks.size(); i++) {
                    previousVersionChunks.put(v.getKey() + "/" + i, weightChunks.get(i));
                }
                storedPreviousVersions.add(v.getKey());
            }
        }
        windowAtCheckpoint.put(context.getCheckpointId(), nextWindow);
    }

    /** The whole trainer state in the keyed state itself (savepoints; and checkpoints without state by reference). */
    private void holdState() throws Exception {
        List<byte[]> chunks = TrainerStateCodec.encode(trainer.snapshot(), config.stateChunkBytes());
        for (int i = 0; i < chunks.size(); i++) {
            stateChunks.put(i, chunks.get(i));
        }
        for (int i = chunks.size(); i < storedChunks; i++) {
            stateChunks.remove(i);
        }
        storedChunks = chunks.size();
        stateFilesRef.clear();
    }

    /**
     * How many completed checkpoints Flink keeps, whose state files must be kept too. Set in the job's options, in the
     * job's Flink configuration or the cluster's, so take the largest: keeping a file too many costs disk, one too few
     * makes a retained checkpoint unrestorable.
     */
    private int retainedCheckpoints() {
        var option = org.apache.flink.configuration.CheckpointingOptions.MAX_RETAINED_CHECKPOINTS;
        var environment = getContainingTask().getEnvironment();
        return Math.max(config.retainedCheckpoints(), Math.max(environment.getJobConfiguration().get(option),
                environment.getTaskManagerInfo().getConfiguration().get(option)));
    }

    /**
     * The trainer state, and strict sync's previous versions, as files the checkpoint references
     * ({@link StateFileCheckpoints}): encoding them into the state on this thread would pause the learner for every
     * version of the lag (390 MB each at 97.5 M parameters).
     */
    private void referenceStateFiles(long checkpointId, Map<Long, float[][]> previous) throws Exception {
        for (int i = 0; i < storedChunks; i++) {
            stateChunks.remove(i);
        }
        storedChunks = 0;
        StateFileCheckpoints.Snapshot snapshot = stateFiles.snapshot(checkpointId, trainer, previous);
        snapshotWrite = snapshot.write();
        stateFilesRef.update(snapshot.ref().encode());
    }

    private java.util.concurrent.ExecutorService cleaner() {
        if (verdictCleaner == null) {
            verdictCleaner = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "verdict-log-cleaner");
                t.setDaemon(true);
                return t;
            });
        }
        return verdictCleaner;
    }

    /** Once a checkpoint holds window w's step, no replay can ask for the answers of windows before w again. */
    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        Long window = windowAtCheckpoint.get(checkpointId);
        windowAtCheckpoint.headMap(checkpointId, true).clear();
        if (stateFiles != null) {
            stateFiles.completed(checkpointId);
        }
        if (window != null && verdicts != null) {
            cleaner().execute(() -> {
                try {
                    verdicts.forgetWindowsBefore(window);
                } catch (RuntimeException e) {
                    LOG.warn("could not clean the verdict log below window {}: {}", window, e.toString());
                }
            });
        }
    }

    @Override
    public void close() throws Exception {
        if (stateFiles != null) {
            stateFiles.close();
        }
        if (verdictCleaner != null) {
            verdictCleaner.shutdown();
            verdictCleaner.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        if (trainer != null) {
            trainer.close();
        }
        super.close();
    }
}
