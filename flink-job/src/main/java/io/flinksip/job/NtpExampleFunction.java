package io.flinksip.job;

import io.flinksip.rollout.CandidateSets;
import io.flinksip.schema.Candidate;
import io.flinksip.schema.Objective;
import io.flinksip.schema.Sample;
import io.flinksip.schema.TrainingExample;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.util.List;

/**
 * NTP mode: each sample is trained on as it is (prefix + original suffix), no judges involved. Its dead-letter side
 * output, the learner's second input in this mode, stays empty: every sequenced sample becomes an example.
 */
final class NtpExampleFunction extends ProcessFunction<Sample, TrainingExample> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(Sample s, Context ctx, Collector<TrainingExample> out) {
        out.collect(example(s));
    }

    static TrainingExample example(Sample s) {
        Candidate suffix = CandidateSets.suffix(s, "");
        return TrainingExample.newBuilder()
                .setDocId(s.getDocId())
                .setSampleIndex(s.getSampleIndex())
                .setObjective(Objective.NTP)
                .setPrefixTokens(s.getPrefixTokens())
                .setChosen(suffix)
                .setRejected(null)
                .setChosenScore(0)
                .setRejectedScore(null)
                .setPolicyVersion(-1)
                .setJudgeIds(List.of())
                .setEventTimeMillis(s.getEventTimeMillis())
                .setShard(s.getShard())
                .setSeq(s.getSeq())
                .setWindow(s.getWindow())
                .build();
    }
}
