package io.flinksip.reward;

import io.flinksip.deadletter.DeadLetters;
import io.flinksip.metrics.StageTime;
import io.flinksip.schema.JudgedSet;
import io.flinksip.schema.TrainingExample;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.util.HashMap;
import java.util.Map;

/**
 * The reward stage: turns a judged candidate set into a training example and records which kind of candidate won.
 *
 * <p>The choice is {@link RewardSelector}'s. A set without a usable pair (fewer than two candidates with tokens, or
 * all scores within {@code minMargin}) is dead-lettered as {@code no_preference}, a counted drop.
 */
public final class RewardFunction extends ProcessFunction<JudgedSet, TrainingExample> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "reward";

    private final RewardConfig config;

    private transient RewardSelector selector;
    private transient Counter examples;
    private transient Map<String, Counter> chosenKinds;
    private transient MetricGroup chosenGroup;
    private transient Counter noPreference;
    private transient StageTime time;

    public RewardFunction(RewardConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        selector = new RewardSelector(config);
        MetricGroup group = getRuntimeContext().getMetricGroup();
        examples = group.counter("examples");
        noPreference = group.counter("noPreference");
        chosenGroup = group.addGroup("chosenKind");
        chosenKinds = new HashMap<>();
        time = StageTime.register(group, STAGE);
    }

    @Override
    public void processElement(JudgedSet judged, Context ctx, Collector<TrainingExample> out) {
        long started = time.start();
        var example = selector.select(judged);
        time.since(started);
        if (example.isEmpty()) {
            noPreference.inc();
            var sample = judged.getCandidateSet().getSample();
            ctx.output(DeadLetters.TAG, DeadLetters.ofSample(STAGE, "no_preference",
                    "no pair of candidates with different scores", sample));
            return;
        }
        chosenKinds.computeIfAbsent(example.get().getChosen().getKind().name(), chosenGroup::counter).inc();
        examples.inc();
        out.collect(example.get());
    }
}
