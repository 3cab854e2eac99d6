package io.flinksip.learn;

import io.flinksip.model.LlamaConfig;
import io.flinksip.model.TestModels;
import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.Objective;
import io.flinksip.schema.PolicyUpdate;
import io.flinksip.schema.TrainingExample;
import io.flinksip.weights.WeightStore;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learner operator in Flink's keyed operator test harness: steps, staleness drops, snapshot and restore. */
class LearnerOperatorTest {
    private static final LlamaConfig MODEL = TestModels.small();

    private static LearnerConfig config(Path dir, Objective objective, int staleness) {
        TrainerConfig trainer = new TrainerConfig(OptimizerConfig.defaults(1e-3, 1, 100),
                objective == Objective.DPO ? DpoConfig.defaults() : null);
        return new LearnerConfig(objective, 2, staleness, MODEL, 3, null, trainer, dir.resolve("weights").toString(),
                100, 0, null, null, 1 << 16);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, TrainingExample, PolicyUpdate> harness(
            LearnerConfig config) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new LearnerOperator(config), e -> LearnerOperator.KEY,
                TypeInformation.of(Integer.class));
    }

    private static TrainingExample example(String doc, long version) {
        Candidate chosen = Candidate.newBuilder().setDocId(doc).setSampleIndex(0).setKind(CandidateKind.ROLLOUT)
                .setTokens(List.of(5, 6, 7)).setText("x").setPolicyVersion(version).build();
        Candidate rejected = Candidate.newBuilder(chosen).setTokens(List.of(9, 9)).build();
        return TrainingExample.newBuilder().setDocId(doc).setSampleIndex(0).setObjective(Objective.DPO)
                .setPrefixTokens(List.of(1, 2, 3)).setChosen(chosen).setRejected(rejected).setChosenScore(2.0)
                .setRejectedScore(0.5).setPolicyVersion(version).setJudgeIds(List.of("j")).setEventTimeMillis(10)
                .build();
    }

    private static List<PolicyUpdate> updates(KeyedOneInputStreamOperatorTestHarness<Integer, TrainingExample,
            PolicyUpdate> h) {
        List<PolicyUpdate> out = new ArrayList<>();
        h.extractOutputValues().forEach(out::add);
        return out;
    }

    @Test
    void stepsEveryBatchAndDropsStaleExamples(@TempDir Path dir) throws Exception {
        try (var h = harness(config(dir, Objective.DPO, 1))) {
            h.open();
            h.processElement(example("b", 0), 1);
            h.processElement(example("a", 0), 2);
            List<PolicyUpdate> first = updates(h);
            assertEquals(1, first.size());
            assertEquals(List.of("a#0", "b#0"), first.get(0).getTrainedSamples(), "sorted by doc id");
            assertEquals(1.0, first.get(0).getRolloutChosenRate());
            h.processElement(example("c", 1), 3);
            h.processElement(example("d", 1), 4);
            // Now at step 2: version 0 is 2 versions behind (bound 1) and is dropped; version 1 is fine.
            h.processElement(example("old", 0), 5);
            h.processElement(example("e", 1), 6);
            h.processElement(example("f", 2), 7);
            List<PolicyUpdate> all = updates(h);
            assertEquals(3, all.size());
            assertEquals(1, all.get(2).getDroppedStale());
            assertEquals(List.of("e#0", "f#0"), all.get(2).getTrainedSamples());
        }
    }

    @Test
    void restoredLearnerContinuesAtTheNextStepFromTheSnapshotsWeights(@TempDir Path dir) throws Exception {
        LearnerConfig config = config(dir, Objective.DPO, 100);
        OperatorSubtaskState snapshot;
        byte[] weightsAtSnapshot;
        WeightStore store = new WeightStore(config.weightStoreRoot());
        try (var h = harness(config)) {
            h.open();
            for (int i = 0; i < 4; i++) {
                h.processElement(example("doc" + i, 0), i);
            }
            h.processElement(example("pending", 0), 10); // buffered: half a step
            snapshot = h.snapshot(1, 100);
            String ns = store.namespaces().get(0);
            weightsAtSnapshot = Files.readAllBytes(dir.resolve("weights").resolve(ns).resolve("v-000000000002")
                    .resolve("weights.bin"));
            h.processElement(example("lost-after-snapshot", 0), 11); // completes step 3, then "crashes"
            assertEquals(3, updates(h).size());
        }
        try (var h = harness(config)) {
            h.initializeState(snapshot);
            h.open();
            String ns = store.namespaces().get(0);
            byte[] republished = Files.readAllBytes(dir.resolve("weights").resolve(ns).resolve("v-000000000002")
                    .resolve("weights.bin"));
            assertArrayEquals(weightsAtSnapshot, republished, "the restored step is republished bit for bit");
            assertEquals(1, store.namespaces().size(), "the failed attempt's versions are gone");
            assertTrue(store.latest(ns).getAsLong() == 2, "no version from after the snapshot is served");
            h.processElement(example("replayed", 0), 12);
            List<PolicyUpdate> out = updates(h);
            assertEquals(1, out.size());
            assertEquals(3, out.get(0).getStep(), "continues at S + 1");
            assertEquals(List.of("pending#0", "replayed#0"), out.get(0).getTrainedSamples(),
                    "the buffered example was restored with the state");
        }
    }
}
