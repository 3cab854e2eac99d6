package io.flinksip.job;

import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.Objective;
import io.flinksip.schema.Sample;
import io.flinksip.schema.TrainingExample;
import org.apache.flink.api.common.functions.MapFunction;

import java.util.List;

/** NTP mode: each sample is trained on as it is (prefix + original suffix), no judges involved. */
final class NtpExampleFunction implements MapFunction<Sample, TrainingExample> {
    private static final long serialVersionUID = 1L;

    @Override
    public TrainingExample map(Sample s) {
        Candidate suffix = Candidate.newBuilder()
                .setDocId(s.getDocId())
                .setSampleIndex(s.getSampleIndex())
                .setKind(CandidateKind.SUFFIX)
                .setTokens(s.getSuffixTokens())
                .setText("")
                .setPolicyVersion(-1)
                .setSamplingSeed(0)
                .setTokenLogProbs(List.of())
                .build();
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
                .build();
    }
}
