package io.flinksip.sync;

import io.flinksip.model.LlamaModel;
import io.flinksip.model.TestModels;
import io.flinksip.schema.Sample;
import io.flinksip.weights.WeightStore;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sequence stage in Flink's keyed operator test harness: numbering, admission by version, state and timers. */
class SequenceOperatorTest {
    private static final long POLL = 50;

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Sample, Sample> harness(SequenceConfig config)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new SequenceOperator(config), Sample::getShard,
                TypeInformation.of(Integer.class));
    }

    private static SequenceConfig config(Path dir, StepWindows windows, AdmissionRule rule) {
        return new SequenceConfig(windows, rule, dir.resolve("weights").toString(), POLL, 100, 0);
    }

    private static Sample sample(String doc, int shard) {
        return Sample.newBuilder().setDocId(doc).setSampleIndex(0).setShard(shard).setPrefixTokens(List.of(1, 2))
                .setSuffixTokens(List.of(3)).setEventTimeMillis(7).setSplitSeed(1).build();
    }

    private static List<Sample> out(KeyedOneInputStreamOperatorTestHarness<Integer, Sample, Sample> h) {
        return new ArrayList<>(h.extractOutputValues());
    }

    /** Publishes a version as the learner of the harness's job (attempt 0) would. */
    private static void publish(Path dir, KeyedOneInputStreamOperatorTestHarness<Integer, Sample, Sample> h,
                                long version) {
        var config = TestModels.small();
        LinkedHashMap<String, float[]> w = LlamaModel.initialWeights(config, 1);
        new WeightStore(dir.resolve("weights").toString()).publish(
                WeightStore.namespaceOf(h.getEnvironment().getJobID().toString(), 0), version, version, config,
                List.copyOf(w.keySet()), w.values().toArray(new float[0][]), null);
    }

    @Test
    void numbersEachShardsSamplesInArrivalOrderIntoWindows(@TempDir Path dir) throws Exception {
        try (var h = harness(config(dir, new StepWindows(2, 2), AdmissionRule.none()))) {
            h.open();
            for (String doc : List.of("a0", "b0", "a1", "a2", "b1")) {
                h.processElement(sample(doc, doc.startsWith("a") ? 0 : 1), 0);
            }
            List<Sample> out = out(h);
            assertEquals(List.of("a0", "b0", "a1", "a2", "b1"), out.stream().map(Sample::getDocId).toList(),
                    "without rollouts nothing waits");
            assertEquals(List.of(0L, 0L, 1L, 2L, 1L), out.stream().map(Sample::getSeq).toList(), "numbered per shard");
            assertEquals(List.of(0L, 0L, 0L, 1L, 0L), out.stream().map(Sample::getWindow).toList(),
                    "two per shard per window");
            assertTrue(out.stream().allMatch(s -> s.getRolloutVersion() == -1));
        }
    }

    @Test
    void latestModeHoldsAWindowUntilVersionWindowMinusTheBoundIsPublished(@TempDir Path dir) throws Exception {
        try (var h = harness(config(dir, new StepWindows(1, 2), AdmissionRule.latest(1)))) {
            h.open();
            publish(dir, h, 0);
            for (int i = 0; i < 6; i++) {
                h.processElement(sample("d" + i, 0), 0);
            }
            List<Sample> out = out(h);
            assertEquals(4, out.size(), "windows 0 and 1 need version 0 at most; window 2 needs version 1");
            assertEquals(List.of(0L, 0L, 0L, 0L), out.stream().map(Sample::getRolloutVersion).toList());
            h.setProcessingTime(POLL);
            assertEquals(4, out(h).size(), "still no version 1");
            publish(dir, h, 1);
            h.setProcessingTime(2 * POLL);
            out = out(h);
            assertEquals(6, out.size(), "the poll found version 1");
            assertEquals(List.of("d4", "d5"), out.subList(4, 6).stream().map(Sample::getDocId).toList(), "in order");
            assertEquals(1L, out.get(5).getRolloutVersion());
        }
    }

    @Test
    void strictModeWithoutLagHoldsWindowWForVersionW(@TempDir Path dir) throws Exception {
        try (var h = harness(config(dir, new StepWindows(1, 1), AdmissionRule.strict(0)))) {
            h.open();
            publish(dir, h, 0);
            h.processElement(sample("w0", 0), 0);
            h.processElement(sample("w1", 0), 0);
            assertEquals(List.of("w0"), out(h).stream().map(Sample::getDocId).toList());
            publish(dir, h, 1);
            h.setProcessingTime(POLL);
            assertEquals(List.of(0L, 1L), out(h).stream().map(Sample::getRolloutVersion).toList(),
                    "each window's rollouts use exactly the version trained on the windows before it");
        }
    }

    @Test
    void latestModeClosesAQuietShardsPartlyFilledWindowAndNumbersOnFromTheNext(@TempDir Path dir)
            throws Exception {
        SequenceConfig config = new SequenceConfig(new StepWindows(1, 4), AdmissionRule.latest(100),
                dir.resolve("weights").toString(), POLL, 100, 1000);
        try (var h = harness(config)) {
            h.open();
            publish(dir, h, 0);
            for (int i = 0; i < 6; i++) {
                h.processElement(sample("d" + i, 0), 0);
            }
            h.setProcessingTime(900);
            assertTrue(h.getSideOutput(SequenceOperator.ACCOUNTING) == null
                    || h.getSideOutput(SequenceOperator.ACCOUNTING).isEmpty(), "not quiet for long enough yet");
            h.setProcessingTime(1500);
            var accounting = new ArrayList<>(h.getSideOutput(SequenceOperator.ACCOUNTING));
            assertEquals(1, accounting.size());
            Accounting skip = (Accounting) accounting.get(0).getValue();
            assertTrue(skip.isSkip());
            assertEquals(List.of(0, 1L, 6L, 8L), List.of(skip.skippedShard, skip.skippedWindow, skip.skippedFrom,
                    skip.skippedTo), "window 1 keeps samples 4 and 5; positions 6 and 7 stay empty");
            h.processElement(sample("later", 0), 1600);
            Sample later = out(h).get(out(h).size() - 1);
            assertEquals(8L, later.getSeq(), "numbering goes on at the next window");
            assertEquals(2L, later.getWindow());
        }
    }

    @Test
    void waitingSamplesAndTheNextNumberSurviveARestore(@TempDir Path dir) throws Exception {
        SequenceConfig config = config(dir, new StepWindows(1, 2), AdmissionRule.strict(1));
        OperatorSubtaskState snapshot;
        try (var h = harness(config)) {
            h.open();
            publish(dir, h, 0);
            for (int i = 0; i < 5; i++) {
                h.processElement(sample("d" + i, 0), 0);
            }
            assertEquals(4, out(h).size(), "windows 0 and 1 admitted; window 2 waits for version 1");
            snapshot = h.snapshot(1, 10);
        }
        try (var h = harness(config)) {
            h.initializeState(snapshot);
            h.open();
            publish(dir, h, 1);
            h.processElement(sample("d5", 0), 20);
            h.setProcessingTime(POLL);
            List<Sample> out = out(h);
            assertEquals(List.of("d4", "d5"), out.stream().map(Sample::getDocId).toList(),
                    "the waiting sample was restored, then the new one joined its window");
            assertEquals(List.of(4L, 5L), out.stream().map(Sample::getSeq).toList(), "numbering continued");
        }
    }
}
