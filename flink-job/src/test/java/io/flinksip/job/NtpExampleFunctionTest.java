package io.flinksip.job;

import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.Objective;
import io.flinksip.schema.Sample;
import io.flinksip.schema.TrainingExample;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NTP mode's example stage in Flink's operator harness: every sample becomes one example of its own suffix. */
class NtpExampleFunctionTest {
    private static Sample sample(String doc, long seq) {
        return Sample.newBuilder().setDocId(doc).setSampleIndex(1).setShard(3).setPrefixTokens(List.of(5, 6, 7))
                .setSuffixTokens(List.of(8, 9)).setEventTimeMillis(1_000 + seq).setSplitSeed(11).setSeq(seq)
                .setWindow(seq / 2).setRolloutVersion(-1).build();
    }

    @Test
    void everySampleBecomesOneNextTokenExampleOfItsOriginalSuffixKeepingItsSequencePosition() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new NtpExampleFunction()))) {
            h.open();
            h.processElement(new StreamRecord<>(sample("a", 4), 10));
            h.processElement(new StreamRecord<>(sample("b", 5), 11));

            List<TrainingExample> out = h.extractOutputValues();
            assertEquals(2, out.size(), "one example per sample, none held back");
            for (int i = 0; i < 2; i++) {
                TrainingExample e = out.get(i);
                Sample s = sample(i == 0 ? "a" : "b", 4 + i);
                assertEquals(s.getDocId(), e.getDocId());
                assertEquals(Objective.NTP, e.getObjective(), "trained by next-token prediction");
                assertEquals(CandidateKind.SUFFIX, e.getChosen().getKind(), "the document's own continuation");
                assertEquals(s.getPrefixTokens(), e.getPrefixTokens());
                assertEquals(s.getSuffixTokens(), e.getChosen().getTokens());
                assertNull(e.getRejected(), "NTP has no rejected candidate");
                assertEquals(List.of(), e.getJudgeIds(), "no judge was asked");
                assertEquals(List.of((long) s.getShard(), s.getSeq(), s.getWindow(), s.getEventTimeMillis()),
                        List.of((long) e.getShard(), e.getSeq(), e.getWindow(), e.getEventTimeMillis()),
                        "the learner sequences examples by (shard, seq, window): they must survive unchanged");
            }
            assertTrue(h.getSideOutput(io.flinksip.deadletter.DeadLetters.TAG) == null
                    || h.getSideOutput(io.flinksip.deadletter.DeadLetters.TAG).isEmpty(), "nothing dead-lettered");
        }
    }
}
