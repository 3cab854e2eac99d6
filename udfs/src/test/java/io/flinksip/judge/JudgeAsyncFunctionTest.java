package io.flinksip.judge;

import io.flinksip.backend.JudgeBackendFactory;
import io.flinksip.backend.JudgeBackends;
import io.flinksip.backend.JudgeException;
import io.flinksip.backend.SafetyJudge;
import io.flinksip.deadletter.AsyncStageHarness;
import io.flinksip.deadletter.StageResult;
import io.flinksip.judge.panel.PanelConfig;
import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.JudgedSet;
import io.flinksip.schema.Sample;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The judge stage in Flink's async operator harness: a judged set carries one judgement per candidate; a judge that
 * fails dead-letters the sample with its reason and the unparseable reply; a set past the stage timeout is
 * dead-lettered as judge_timeout.
 */
class JudgeAsyncFunctionTest {
    /** Keyword judges, except that safety fails on texts containing "garbled" and never answers on "stuck". */
    static final class ScriptedJudges implements JudgeBackendFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public JudgeBackends create() {
            SafetyJudge safety = text -> {
                if (text.contains("garbled")) {
                    return CompletableFuture.failedFuture(new JudgeException(JudgeException.Reason.UNPARSABLE_VERDICT,
                            "no verdict line", "I think it is fine?", null));
                }
                if (text.contains("stuck")) {
                    return new CompletableFuture<>();
                }
                return KeywordJudges.SAFETY.assess(text);
            };
            return new JudgeBackends(KeywordJudges.QUALITY, safety, KeywordJudges.FACTUALITY, null);
        }
    }

    private static CandidateSet set(String docId, String... texts) {
        Sample s = Sample.newBuilder().setDocId(docId).setSampleIndex(0).setShard(0).setPrefixTokens(List.of(1))
                .setSuffixTokens(List.of(2)).setEventTimeMillis(0).setSplitSeed(0).build();
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            candidates.add(Candidate.newBuilder().setDocId(docId).setSampleIndex(0)
                    .setKind(i == 0 ? CandidateKind.SUFFIX : CandidateKind.ROLLOUT).setTokens(List.of(i + 1))
                    .setText(texts[i]).setPolicyVersion(-1).setSamplingSeed(0).setTokenLogProbs(List.of()).build());
        }
        return CandidateSet.newBuilder().setSample(s).setPrefixText("the town").setCandidates(candidates)
                .setPolicyVersion(0).build();
    }

    private static String docOf(StageResult<JudgedSet> r) {
        return r.isOk() ? r.value.getCandidateSet().getSample().getDocId().toString()
                : r.deadLetter.getDocId().toString();
    }

    @Test
    void aJudgedSetHasAJudgementPerCandidateAndFailuresAndTimeoutsBecomeDeadLetters() throws Exception {
        List<StageResult<JudgedSet>> results = new ArrayList<>();
        try (var h = new OneInputStreamOperatorTestHarness<CandidateSet, StageResult<JudgedSet>>(
                new AsyncWaitOperatorFactory<>(new JudgeAsyncFunction(PanelConfig.defaults(), new ScriptedJudges(),
                        null), 500, 10, AsyncDataStream.OutputMode.UNORDERED),
                TypeInformation.of(CandidateSet.class).createSerializer(new SerializerConfigImpl()))) {
            h.open();
            h.processElement(new StreamRecord<>(set("ok", "a calm river", "poison in the well"), 1));
            h.processElement(new StreamRecord<>(set("bad", "a calm river", "garbled words"), 2));
            h.processElement(new StreamRecord<>(set("late", "a calm river", "stuck here"), 3));
            // two calls answer; the third passes the 500 ms stage timeout on the harness's manual clock
            results.addAll(AsyncStageHarness.results(h, 2, 1_000));
        }
        results.sort(Comparator.comparing(JudgeAsyncFunctionTest::docOf));
        assertEquals(List.of("bad", "late", "ok"), results.stream().map(JudgeAsyncFunctionTest::docOf).toList(),
                "one result per set");
        assertEquals("judge_unparsable_verdict", results.get(0).deadLetter.getReason());
        assertTrue(results.get(0).deadLetter.getDetail().toString().contains("I think it is fine?"),
                "the unparseable reply is kept for the audit: " + results.get(0).deadLetter.getDetail());
        assertEquals("judge_timeout", results.get(1).deadLetter.getReason());
        JudgedSet judged = results.get(2).value;
        assertEquals(2, judged.getJudgements().size(), "a judgement per candidate");
        assertEquals(1.0, judged.getJudgements().get(0).getScores().get("safety"), "the calm river is safe");
        assertEquals(0.0, judged.getJudgements().get(1).getScores().get("safety"), "poison is not");
        assertEquals(1.0, judged.getJudgements().get(1).getScores().get("quality"),
                "quality judged pairwise: the longer text has more distinct words");
    }
}
