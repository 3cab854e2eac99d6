package io.flinksip.sync;

import io.flinksip.schema.Sample;
import io.flinksip.weights.WeightStore;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
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
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.util.OutputTag;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sequence stage: numbers every sample within its shard (keyed by shard, so in the shard's own order) and holds it
 * until its step window is admitted ({@link AdmissionRule}), then sends it on to the rewrite and rollout stages.
 *
 * <p>Waiting samples live in keyed state and a processing-time timer polls the weight store for the version they wait
 * for, so the task thread is free and checkpoints complete while they wait. When more than
 * {@link SequenceConfig#capacity()} samples wait, the operator stops taking input (back-pressure up to the source): it
 * yields to the mailbox, where the polling timers keep running, until admissions bring the count back under the
 * capacity. Unlike Flink's async operator, which yields only to its own mails, it yields to every mail, checkpoints
 * included: the sample has been put in state before it yields, so a checkpoint taken meanwhile is consistent, and a
 * wait that lasts as long as a learner step does not hold checkpoints back. At the end of a bounded input it waits the
 * same way until every sample has been admitted.
 * Samples of one shard are admitted in order, and admission is monotone in the window, so the waiting samples of a
 * shard are always the contiguous range [firstWaiting, next).
 */
public final class SequenceOperator extends AbstractStreamOperator<Sample>
        implements OneInputStreamOperator<Sample, Sample>, BoundedOneInput, Triggerable<Integer, VoidNamespace> {
    private static final long serialVersionUID = 1L;
    /**
     * Side output for the learner: the end of each shard this subtask holds, when the input ends, and (latest mode)
     * the unfilled positions of a window closed because its shard went idle.
     */
    public static final OutputTag<Accounting> ACCOUNTING = new OutputTag<>("sequence-accounting") {
    };

    private final SequenceConfig config;

    private transient ValueState<Long> next;
    private transient ValueState<Long> firstWaiting;
    private transient MapState<Long, Sample> waiting;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient InternalTimerService<VoidNamespace> idleTimers;
    private transient ValueState<Long> lastArrival;
    private transient MailboxExecutor anyMail;
    private transient WeightStore store;
    private transient String namespace;
    private transient long waitingTotal;
    private transient long published;
    private transient long polledAt;
    private transient Counter admitted;
    private transient Counter heldMillis;

    public SequenceOperator(SequenceConfig config) {
        this.config = config;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        next = getKeyedStateStore().getState(new ValueStateDescriptor<>("next-seq", Types.LONG));
        ValueStateDescriptor<Long> firstWaitingDescriptor = new ValueStateDescriptor<>("first-waiting", Types.LONG);
        firstWaiting = getKeyedStateStore().getState(firstWaitingDescriptor);
        waiting = getKeyedStateStore().getMapState(new MapStateDescriptor<>("waiting", Types.LONG,
                TypeInformation.of(Sample.class)));
        lastArrival = getKeyedStateStore().getState(new ValueStateDescriptor<>("last-arrival", Types.LONG));
        // The waiting count of this subtask, over every shard it holds after a restore or rescale.
        AtomicLong total = new AtomicLong();
        ValueStateDescriptor<Long> nextDescriptor = new ValueStateDescriptor<>("next-seq", Types.LONG);
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                firstWaitingDescriptor, (shard, first) -> {
                    Long from = first.value();
                    if (from != null) {
                        Long to = getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE,
                                VoidNamespaceSerializer.INSTANCE, nextDescriptor).value();
                        total.addAndGet(to - from);
                    }
                });
        waitingTotal = total.get();
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers = getInternalTimerService("sequence-admission", VoidNamespaceSerializer.INSTANCE, this);
        idleTimers = getInternalTimerService("sequence-idle", VoidNamespaceSerializer.INSTANCE, new IdleClose());
        anyMail = getContainingTask().getMailboxExecutorFactory().createExecutor(TaskMailbox.MIN_PRIORITY);
        if (config.admission().waitsForVersions()) {
            store = new WeightStore(config.weightStoreRoot());
            namespace = WeightStore.namespaceOf(getRuntimeContext().getJobInfo().getJobId().toString(),
                    getRuntimeContext().getTaskInfo().getAttemptNumber());
        }
        published = -1;
        polledAt = Long.MIN_VALUE / 2; // never: the first look reads the store
        var group = getMetricGroup();
        admitted = group.counter("admittedSamples");
        heldMillis = group.counter("inputHeldMillis");
        group.gauge("waitingSamples", () -> waitingTotal);
        group.gauge("publishedVersion", () -> published);
    }

    @Override
    public void processElement(StreamRecord<Sample> record) throws Exception {
        if (record.getValue().getShard() >= config.windows().shards()) {
            throw new IllegalStateException("a sample of shard " + record.getValue().getShard() + ", but step windows "
                    + "span " + config.windows().shards() + " shards: sip.sync.shards must be the number of input "
                    + "partitions");
        }
        Long n = next.value();
        long seq = n == null ? 0 : n;
        next.update(seq + 1);
        if (config.idleCloseMillis() > 0) {
            long now = getProcessingTimeService().getCurrentProcessingTime();
            lastArrival.update(now);
            scheduleIdleCheck(now);
        }
        long window = config.windows().windowOf(seq);
        Sample sample = Sample.newBuilder(record.getValue()).setSeq(seq).setWindow(window)
                .setRolloutVersion(config.admission().rolloutVersion(window)).build();
        if (firstWaiting.value() == null && config.admission().admits(window, published(Long.MIN_VALUE))) {
            emit(sample);
        } else {
            waiting.put(seq, sample);
            if (firstWaiting.value() == null) {
                firstWaiting.update(seq);
            }
            waitingTotal++;
            schedulePoll();
        }
        if (waitingTotal > config.capacity()) {
            long start = System.nanoTime();
            while (waitingTotal > config.capacity()) {
                anyMail.yield(); // polling timers, checkpoints
            }
            heldMillis.inc((System.nanoTime() - start) / 1_000_000);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<Integer, VoidNamespace> timer) throws Exception {
        Long from = firstWaiting.value();
        if (from == null) {
            return;
        }
        long end = next.value();
        long version = published(timer.getTimestamp());
        long seq = from;
        while (seq < end) {
            Sample sample = waiting.get(seq);
            if (!config.admission().admits(sample.getWindow(), version)) {
                break;
            }
            emit(sample);
            waiting.remove(seq);
            waitingTotal--;
            seq++;
        }
        if (seq < end) {
            firstWaiting.update(seq);
            schedulePoll();
        } else {
            firstWaiting.clear();
        }
    }

    @Override
    public void onEventTime(InternalTimer<Integer, VoidNamespace> timer) {
    }

    /**
     * Tells the learner how many samples each shard of this subtask numbered (so windows the ended shards cannot fill
     * close without them), then waits until every sample has been admitted.
     */
    @Override
    public void endInput() throws Exception {
        var task = getRuntimeContext().getTaskInfo();
        for (int shard = 0; shard < config.windows().shards(); shard++) {
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(shard, task.getMaxNumberOfParallelSubtasks(),
                    task.getNumberOfParallelSubtasks()) == task.getIndexOfThisSubtask()) {
                setCurrentKey(shard);
                Long n = next.value();
                long samples = n == null ? 0 : n;
                output.collect(ACCOUNTING, new StreamRecord<>(Accounting.shardEnd(shard, samples)));
                long perShard = config.windows().perShard();
                if (config.admission().mode() == SyncMode.STRICT && samples % perShard != 0) {
                    // Strict rollouts wait for whole chunks: tell them this shard's last one is short.
                    long window = config.windows().windowOf(samples - 1);
                    output.collect(new StreamRecord<>(Chunks.end(shard, window,
                            samples - window * perShard)));
                }
            }
        }
        while (waitingTotal > 0) {
            anyMail.yield();
        }
    }

    private void emit(Sample sample) {
        admitted.inc();
        output.collect(new StreamRecord<>(sample, sample.getEventTimeMillis()));
    }

    /** Aligned to a quarter of the idle time, so that a stream of samples registers few timers. */
    private void scheduleIdleCheck(long lastSample) {
        long step = Math.max(1, config.idleCloseMillis() / 4);
        long due = lastSample + config.idleCloseMillis();
        idleTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, (due / step + 1) * step);
    }

    /**
     * Latest mode: when a shard has sent nothing for the idle time, none of its samples waits for a version, and its
     * last window is only partly filled, the window closes with the samples it has: the learner is told which
     * positions stay empty, and numbering goes on at the next window. Without this, a monitored directory or a quiet
     * topic would hold those samples until more input arrived.
     */
    private final class IdleClose implements Triggerable<Integer, VoidNamespace> {
        @Override
        public void onProcessingTime(InternalTimer<Integer, VoidNamespace> timer) throws Exception {
            Long last = lastArrival.value();
            if (last == null) {
                return;
            }
            if (timer.getTimestamp() - last < config.idleCloseMillis()) {
                scheduleIdleCheck(last); // a sample came in meanwhile
                return;
            }
            if (firstWaiting.value() != null) {
                // Samples still wait for versions: the pipeline is busy (perhaps holding the input back), not idle.
                scheduleIdleCheck(timer.getTimestamp());
                return;
            }
            long count = next.value();
            long perShard = config.windows().perShard();
            if (count % perShard == 0) {
                return; // the last window is full
            }
            long window = config.windows().windowOf(count);
            long end = (window + 1) * perShard;
            output.collect(ACCOUNTING, new StreamRecord<>(Accounting.skipped(timer.getKey(), window, count, end)));
            next.update(end);
            lastArrival.clear();
        }

        @Override
        public void onEventTime(InternalTimer<Integer, VoidNamespace> timer) {
        }
    }

    /** Aligned to the poll interval, so the timers of all shards of a subtask coincide and are deduplicated. */
    private void schedulePoll() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        long at = (now / config.pollMillis() + 1) * config.pollMillis();
        timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, at);
    }

    /**
     * The newest version the learner published in this attempt, read from the store unless it was read at or after
     * {@code freshAfter} (the timers of every shard of one poll tick share one read).
     */
    private long published(long freshAfter) {
        if (store == null) {
            return Long.MAX_VALUE;
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (polledAt < freshAfter || now - polledAt >= config.pollMillis()) {
            OptionalLong latest = store.latest(namespace);
            if (latest.isPresent()) {
                published = Math.max(published, latest.getAsLong());
            }
            polledAt = now;
        }
        return published;
    }
}
