package io.flinksip.learn;

import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.TestModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshot → restore → continue equals uninterrupted training, and training is bit-reproducible. */
class TrainerSnapshotTest {
    private static final LlamaConfig CONFIG = TestModels.small();
    private static final TrainerConfig TRAINING = TrainerFixtures.config(3e-3, 20);

    /** Alternates objectives so every code path (NTP, RF-NLL, DPO with its reference) is in the state. */
    private static void trainStep(PolicyTrainer t, int i) {
        switch (i % 3) {
            case 0 -> t.trainNextToken(TrainerFixtures.sequences(100 + i, 3, 20, CONFIG));
            case 1 -> t.trainOnContinuations(TrainerFixtures.sequences(200 + i, 3, 8, CONFIG),
                    TrainerFixtures.sequences(300 + i, 3, 6, CONFIG));
            default -> t.trainDpo(TrainerFixtures.pairs(400 + i, 3, CONFIG));
        }
        t.rng().nextLong(); // the learner's stream advances with training
    }

    @Test
    void snapshotRestoreContinueEqualsUninterruptedTraining() {
        Map<String, float[]> uninterrupted;
        try (PolicyTrainer t = PolicyTrainer.create(CONFIG, LlamaModel.initialWeights(CONFIG, 9), TRAINING, 9)) {
            for (int i = 0; i < 8; i++) {
                trainStep(t, i);
            }
            uninterrupted = t.weights();
        }
        List<byte[]> chunks;
        try (PolicyTrainer t = PolicyTrainer.create(CONFIG, LlamaModel.initialWeights(CONFIG, 9), TRAINING, 9)) {
            for (int i = 0; i < 4; i++) {
                trainStep(t, i);
            }
            chunks = TrainerStateCodec.encode(t.snapshot(), 4096); // many small chunks on purpose
        }
        assertTrue(chunks.size() > 10);
        for (int i = 1; i < chunks.size(); i++) {
            assertTrue(chunks.get(i).length <= 4096);
        }
        Map<String, float[]> resumed;
        try (PolicyTrainer t = PolicyTrainer.restore(TrainerStateCodec.decode(chunks), TRAINING)) {
            assertEquals(4, t.step());
            for (int i = 4; i < 8; i++) {
                trainStep(t, i);
            }
            resumed = t.weights();
        }
        for (String name : uninterrupted.keySet()) {
            assertArrayEquals(uninterrupted.get(name), resumed.get(name), "diverged: " + name);
        }
    }

    @Test
    void aSharedStateStaysAsItWasWhileTrainingGoesOnBitIdentically() {
        Map<String, float[]> uninterrupted;
        try (PolicyTrainer t = PolicyTrainer.create(CONFIG, LlamaModel.initialWeights(CONFIG, 9), TRAINING, 9)) {
            for (int i = 0; i < 6; i++) {
                trainStep(t, i);
            }
            uninterrupted = t.weights();
        }
        try (PolicyTrainer t = PolicyTrainer.create(CONFIG, LlamaModel.initialWeights(CONFIG, 9), TRAINING, 9)) {
            for (int i = 0; i < 3; i++) {
                trainStep(t, i);
            }
            TrainerState copy = t.snapshot();
            TrainerState shared = t.share();
            assertTrue(shared.parameters()[0] == t.weightsView().values().iterator().next(),
                    "sharing hands over the trainer's own arrays: no copy");
            for (int i = 3; i < 6; i++) {
                trainStep(t, i);
            }
            for (int i = 0; i < copy.parameters().length; i++) {
                assertArrayEquals(copy.parameters()[i], shared.parameters()[i], "weights changed after share " + i);
                assertArrayEquals(copy.firstMoments()[i], shared.firstMoments()[i]);
                assertArrayEquals(copy.secondMoments()[i], shared.secondMoments()[i]);
            }
            Map<String, float[]> after = t.weights();
            for (String name : uninterrupted.keySet()) {
                assertArrayEquals(uninterrupted.get(name), after.get(name),
                        "training on from fresh arrays is bit-identical: " + name);
            }
        }
    }

    @Test
    void codecRoundTripIsBitExactAndRejectsDamage() {
        try (PolicyTrainer t = PolicyTrainer.create(CONFIG, LlamaModel.initialWeights(CONFIG, 3), TRAINING, 3)) {
            trainStep(t, 2);
            TrainerState s = t.snapshot();
            TrainerState back = TrainerStateCodec.decode(TrainerStateCodec.encode(s, 1 << 20));
            assertEquals(s.modelConfig(), back.modelConfig());
            assertEquals(s.step(), back.step());
            assertEquals(s.rngState(), back.rngState());
            assertEquals(s.parameterNames(), back.parameterNames());
            for (int i = 0; i < s.parameters().length; i++) {
                assertArrayEquals(s.parameters()[i], back.parameters()[i]);
                assertArrayEquals(s.firstMoments()[i], back.firstMoments()[i]);
                assertArrayEquals(s.secondMoments()[i], back.secondMoments()[i]);
                assertArrayEquals(s.referenceWeights()[i], back.referenceWeights()[i]);
            }
            List<byte[]> chunks = new ArrayList<>(TrainerStateCodec.encode(s, 1 << 16));
            chunks.remove(chunks.size() - 1);
            assertThrows(IllegalArgumentException.class, () -> TrainerStateCodec.decode(chunks));
            List<byte[]> extra = new ArrayList<>(TrainerStateCodec.encode(s, 1 << 16));
            extra.add(new byte[8]);
            assertThrows(IllegalArgumentException.class, () -> TrainerStateCodec.decode(extra));
            byte[] header = extra.get(0).clone();
            header[0] ^= 1;
            extra.set(0, header);
            assertThrows(IllegalArgumentException.class, () -> TrainerStateCodec.decode(extra));
        }
    }

    /**
     * Two identical runs give identical bits, while another thread forces garbage collections. If a graph ever
     * captured a DJL-owned temporary (the scalar use-after-free trap), collection timing would leak into the gradients.
     */
    @Test
    void trainingIsBitReproducibleUnderForcedGarbageCollection() throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread collector = new Thread(() -> {
            while (running.get()) {
                System.gc();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "forced-gc");
        collector.setDaemon(true);
        collector.start();
        try {
            Map<String, float[]> a = run();
            Map<String, float[]> b = run();
            for (String name : a.keySet()) {
                assertArrayEquals(a.get(name), b.get(name), "not reproducible: " + name);
            }
        } finally {
            running.set(false);
            collector.join();
        }
    }

    private static Map<String, float[]> run() {
        try (PolicyTrainer t = PolicyTrainer.create(CONFIG, LlamaModel.initialWeights(CONFIG, 4), TRAINING, 4)) {
            for (int i = 0; i < 6; i++) {
                trainStep(t, i);
                System.gc();
            }
            return t.weights();
        }
    }
}
