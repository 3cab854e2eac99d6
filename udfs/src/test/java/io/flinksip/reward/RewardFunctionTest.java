package io.flinksip.reward;

import io.flinksip.deadletter.DeadLetters;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.DeadLetter;
import io.flinksip.schema.Objective;
import io.flinksip.schema.TrainingExample;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reward stage in Flink's operator harness: an example per usable set, a dead letter for the rest. */
class RewardFunctionTest {
    @Test
    void aSetWithAPreferenceBecomesAnExampleAndATieADeadLetterForItsSample() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(
                new RewardFunction(new RewardConfig(Objective.DPO, 1e-9, true))))) {
            h.open();
            h.processElement(new StreamRecord<>(RewardSelectorTest.judged(1.0, 2.5, 0.2, 1.5), 10));
            h.processElement(new StreamRecord<>(RewardSelectorTest.judged(1.0, 1.0, 1.0, 1.0), 11));

            List<TrainingExample> examples = new ArrayList<>(h.extractOutputValues());
            assertEquals(1, examples.size(), "one example, from the set with different scores");
            assertEquals(CandidateKind.REWRITE, examples.get(0).getChosen().getKind());
            assertEquals(Objective.DPO, examples.get(0).getObjective());

            var dead = new ArrayList<>(h.getSideOutput(DeadLetters.TAG));
            assertEquals(1, dead.size(), "the tie is dead-lettered, not dropped");
            DeadLetter letter = dead.get(0).getValue();
            assertEquals("no_preference", letter.getReason());
            assertEquals("reward", letter.getStage());
            assertEquals("d", letter.getDocId(), "the dead letter names its sample, so the step can account for it");
            assertEquals(0, letter.getSampleIndex());
        }
    }
}
