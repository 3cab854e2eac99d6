package io.flinksip.rollout;

import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.SamplingConfig;
import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.Sample;
import io.flinksip.sync.SyncMode;
import io.flinksip.tokenizer.ByteLevelBpeTokenizer;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.weights.WeightStore;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

    private static RolloutConfig config(Path dir, SyncMode sync) {
        return new RolloutConfig(2, new SamplingConfig(4, 1.0, 1.0, 0, false), 5, 4, 100,
                dir.resolve("weights").toString(), 60_000, tokenizerJson, sync);
    }

    private static OneInputStreamOperatorTestHarness<CandidateSet, CandidateSet> harness(RolloutConfig config)
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new RolloutOperator(config));
    }

    private static CandidateSet set(String doc, long rolloutVersion) {
        Sample s = Sample.newBuilder().setDocId(doc).setSampleIndex(0).setShard(0).setPrefixTokens(List.of(5, 6, 7))
                .setSuffixTokens(List.of(8, 9)).setEventTimeMillis(1).setSplitSeed(1).setSeq(0).setWindow(0)
                .setRolloutVersion(rolloutVersion).build();
        Candidate suffix = Candidate.newBuilder().setDocId(doc).setSampleIndex(0).setKind(CandidateKind.SUFFIX)
                .setTokens(List.of(8, 9)).setText("x").build();
        return CandidateSet.newBuilder().setSample(s).setPrefixText("p").setCandidates(List.of(suffix)).build();
    }

    private static void publish(Path dir, OneInputStreamOperatorTestHarness<CandidateSet, CandidateSet> h,
                                long version) {
        LinkedHashMap<String, float[]> w = LlamaModel.initialWeights(model, 100 + version);
        new WeightStore(dir.resolve("weights").toString()).publish(
                WeightStore.namespaceOf(h.getEnvironment().getJobID().toString(), 0), version, version, model,
                List.copyOf(w.keySet()), w.values().toArray(new float[0][]), null);
    }

    private static List<Long> versions(OneInputStreamOperatorTestHarness<CandidateSet, CandidateSet> h) {
        List<Long> out = new ArrayList<>();
        for (CandidateSet s : h.extractOutputValues()) {
            assertEquals(3, s.getCandidates().size(), "the suffix and two rollouts");
            for (Candidate c : s.getCandidates().subList(1, 3)) {
                assertEquals(CandidateKind.ROLLOUT, c.getKind());
                assertEquals(s.getPolicyVersion(), c.getPolicyVersion());
            }
            out.add(s.getPolicyVersion());
        }
        return out;
    }

    @Test
    void strictModeUsesExactlyEachSamplesVersionEvenWhenANewerOneExists(@TempDir Path dir) throws Exception {
        try (var h = harness(config(dir, SyncMode.STRICT))) {
            h.open();
            publish(dir, h, 0);
            publish(dir, h, 1);
            publish(dir, h, 2);
            h.processElement(set("a", 1), 0);
            h.processElement(set("b", 0), 0);
            h.processElement(set("c", 2), 0);
            assertEquals(List.of(1L, 0L, 2L), versions(h));
        }
    }

    @Test
    void latestModeUsesTheNewestVersion(@TempDir Path dir) throws Exception {
        try (var h = harness(config(dir, SyncMode.LATEST))) {
            h.open();
            publish(dir, h, 0);
            publish(dir, h, 3);
            for (String doc : List.of("a", "b", "c", "d")) { // a full micro-batch
                h.processElement(set(doc, 1), 0);
            }
            assertEquals(List.of(3L, 3L, 3L, 3L), versions(h), "version 3, newer than the samples' minimum 1");
        }
    }

    @Test
    void aSampleWaitsInStateForAVersionNotYetReadableAndSurvivesARestore(@TempDir Path dir) throws Exception {
        RolloutConfig config = config(dir, SyncMode.STRICT);
        OperatorSubtaskState snapshot;
        try (var h = harness(config)) {
            h.open();
            h.processElement(set("early", 1), 0);
            assertTrue(h.extractOutputValues().isEmpty(), "version 1 does not exist yet");
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(config)) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(100);
            assertTrue(h.extractOutputValues().isEmpty(), "still waiting, on a timer");
            publish(dir, h, 1);
            h.setProcessingTime(300);
            assertEquals(List.of(1L), versions(h), "generated once its version appeared, after the restore");
        }
    }
}
