package io.flinksip.rollout;

import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.SamplingConfig;
import io.flinksip.model.WeightPrecision;
import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.Sample;
import io.flinksip.sync.Chunks;
import io.flinksip.sync.StepWindows;
import io.flinksip.sync.SyncMode;
import io.flinksip.tokenizer.TokenizerBackend;
import io.flinksip.tokenizer.ByteLevelBpeTokenizer;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.weights.WeightStore;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rollout stage in Flink's operator test harness: which policy version each sample's rollouts come from, waiting
 * (in state, on a timer) for a version that is not readable yet, and the buffer across a restore.
 */
class RolloutOperatorTest {
    private static String tokenizerJson;
    private static LlamaConfig model;

    @BeforeAll
    static void tokenizer(@TempDir Path dir) throws Exception {
        ByteLevelBpeTokenizer t = new ByteLevelBpeTrainer(512).train(List.of("the quick brown fox jumps over the "
                + "lazy dog", "a tiny corpus for a tiny tokenizer", "rollouts need words to sample"));
        t.save(dir.resolve("tokenizer.json"));
        tokenizerJson = Files.readString(dir.resolve("tokenizer.json"));
        model = LlamaConfig.tiny(t.vocabSize(), t.eosTokenId()).withShape(16, 32, 1, 2, 2, true).withMaxPositions(64);
    }

    /** Windows of two samples; micro-batches of four (latest) or two. */
    private static RolloutConfig config(Path dir, SyncMode sync) {
        return config(dir, sync, WeightPrecision.FLOAT32);
    }

    private static RolloutConfig config(Path dir, SyncMode sync, WeightPrecision precision) {
        return new RolloutConfig(2, new SamplingConfig(4, 1.0, 1.0, 0, false), 5, sync == SyncMode.STRICT ? 2 : 4, 100,
                dir.resolve("weights").toString(), 60_000, tokenizerJson,
                TokenizerBackend.AUTO, sync, new StepWindows(1, 2), precision);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, Sample, CandidateSet> harness(RolloutConfig config)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new RolloutOperator(config), Chunks::chunkOf,
                TypeInformation.of(Long.class));
    }

    /** Sample {@code seq} of shard 0 (window seq / 2), whose rollouts need {@code rolloutVersion}. */
    private static Sample sample(String doc, long seq, long rolloutVersion) {
        return Sample.newBuilder().setDocId(doc).setSampleIndex(0).setShard(0).setPrefixTokens(List.of(5, 6, 7))
                .setSuffixTokens(List.of(8, 9)).setEventTimeMillis(1).setSplitSeed(1).setSeq(seq).setWindow(seq / 2)
                .setRolloutVersion(rolloutVersion).build();
    }

    private static void publish(Path dir, KeyedOneInputStreamOperatorTestHarness<Long, Sample, CandidateSet> h,
                                long version) {
        LinkedHashMap<String, float[]> w = LlamaModel.initialWeights(model, 100 + version);
        new WeightStore(dir.resolve("weights").toString()).publish(
                WeightStore.namespaceOf(h.getEnvironment().getJobID().toString(), 0), version, version, model,
                List.copyOf(w.keySet()), w.values().toArray(new float[0][]), null);
    }

    private static List<Long> versions(KeyedOneInputStreamOperatorTestHarness<Long, Sample, CandidateSet> h) {
        List<Long> out = new ArrayList<>();
        for (CandidateSet s : h.extractOutputValues()) {
            assertEquals(3, s.getCandidates().size(), "the suffix and two rollouts");
            assertEquals(CandidateKind.SUFFIX, s.getCandidates().get(0).getKind());
            for (Candidate c : s.getCandidates().subList(1, 3)) {
                assertEquals(CandidateKind.ROLLOUT, c.getKind());
                assertEquals(s.getPolicyVersion(), c.getPolicyVersion());
            }
            out.add(s.getPolicyVersion());
        }
        return out;
    }

    @ParameterizedTest(name = "replica in {0}")
    @EnumSource(WeightPrecision.class)
    void strictModeGeneratesACompleteWindowWithExactlyItsVersionEvenWhenANewerOneExists(WeightPrecision precision,
                                                                                       @TempDir Path dir)
            throws Exception {
        try (var h = harness(config(dir, SyncMode.STRICT, precision))) {
            h.open();
            publish(dir, h, 0);
            publish(dir, h, 1);
            publish(dir, h, 2);
            h.processElement(sample("a", 2, 1), 0); // window 1
            h.processElement(sample("b", 0, 0), 0); // window 0
            assertTrue(h.extractOutputValues().isEmpty(), "neither window is complete");
            h.processElement(sample("c", 3, 1), 0);
            h.processElement(sample("d", 1, 0), 0);
            assertEquals(List.of(1L, 1L, 0L, 0L), versions(h), "each window with its own version, when complete");
            assertEquals(List.of("a", "c", "d", "b").size(), h.extractOutputValues().size());
            assertEquals(List.of("a", "c", "b", "d"), h.extractOutputValues().stream()
                    .map(c -> c.getSample().getDocId()).toList(), "a window's samples in position order");
        }
    }

    @ParameterizedTest(name = "replica in {0}")
    @EnumSource(WeightPrecision.class)
    void strictRolloutsDoNotDependOnArrivalOrder(WeightPrecision precision, @TempDir Path dir) throws Exception {
        List<List<Candidate>> runs = new ArrayList<>();
        for (List<String> order : List.of(List.of("x", "y"), List.of("y", "x"))) {
            try (var h = harness(config(dir.resolve(order.get(0)), SyncMode.STRICT, precision))) {
                h.open();
                publish(dir.resolve(order.get(0)), h, 0);
                for (String doc : order) {
                    h.processElement(sample(doc, doc.equals("x") ? 0 : 1, 0), 0);
                }
                List<Candidate> all = new ArrayList<>();
                h.extractOutputValues().stream().sorted(java.util.Comparator.comparing(c -> c.getSample().getDocId()))
                        .forEach(c -> all.addAll(c.getCandidates()));
                runs.add(all);
            }
        }
        assertEquals(runs.get(0), runs.get(1), "the same tokens, log-probabilities and seeds");
    }

    @Test
    void latestModeUsesTheNewestVersion(@TempDir Path dir) throws Exception {
        try (var h = harness(config(dir, SyncMode.LATEST))) {
            h.open();
            publish(dir, h, 0);
            publish(dir, h, 3);
            for (int seq = 0; seq < 4; seq++) { // two windows of two: a micro-batch of four is never reached
                h.processElement(sample("d" + seq, seq, 1), 0);
            }
            assertTrue(h.extractOutputValues().isEmpty(), "partial micro-batches wait for the flush interval");
            h.setProcessingTime(100);
            assertEquals(List.of(3L, 3L, 3L, 3L), versions(h), "version 3, newer than the samples' minimum 1");
        }
    }

    @Test
    void aWindowWaitsInStateForAVersionNotYetReadableAndSurvivesARestore(@TempDir Path dir) throws Exception {
        RolloutConfig config = config(dir, SyncMode.STRICT);
        OperatorSubtaskState snapshot;
        try (var h = harness(config)) {
            h.open();
            h.processElement(sample("early", 0, 1), 0);
            h.processElement(sample("late", 1, 1), 0);
            assertTrue(h.extractOutputValues().isEmpty(), "version 1 does not exist yet");
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(config)) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(100);
            assertTrue(h.extractOutputValues().isEmpty(), "still waiting, on a timer");
            publish(dir, h, 1);
            h.setProcessingTime(200);
            assertEquals(List.of(1L, 1L), versions(h), "generated once its version appeared, after the restore");
        }
    }
}
