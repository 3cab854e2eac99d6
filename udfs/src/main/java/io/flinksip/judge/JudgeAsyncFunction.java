package io.flinksip.judge;

import io.flinksip.deadletter.DeadLetters;
import io.flinksip.judge.panel.CandidateScores;
import io.flinksip.judge.panel.JudgePanel;
import io.flinksip.judge.panel.PanelConfig;
import io.flinksip.judge.panel.PanelResult;
import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.JudgedSet;
import io.flinksip.schema.Judgement;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The judge stage on Flink's async I/O: scores a candidate set with the {@link JudgePanel}. A set whose judging
 * finally fails, or runs past the async timeout, becomes a dead letter (as a {@link StageResult}), never an exception
 * that would restart the job.
 */
public final class JudgeAsyncFunction extends RichAsyncFunction<CandidateSet, StageResult<JudgedSet>> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "judge";

    private final PanelConfig panelConfig;
    private final JudgeBackendFactory backends;

    private transient JudgePanel panel;
    private transient Counter judged;
    private transient Counter failed;
    private transient Counter calls;
    private transient Histogram latency;

    public JudgeAsyncFunction(PanelConfig panelConfig, JudgeBackendFactory backends) {
        this.panelConfig = panelConfig;
        this.backends = backends;
    }

    @Override
    public void open(OpenContext openContext) {
        JudgeBackends b = backends.create();
        panel = new JudgePanel(panelConfig, b.quality(), b.safety(), b.factuality());
        var group = getRuntimeContext().getMetricGroup();
        judged = group.counter("setsJudged");
        failed = group.counter("setsFailed");
        calls = group.counter("judgeCalls");
        latency = group.histogram("judgeLatencyMs", new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void asyncInvoke(CandidateSet set, ResultFuture<StageResult<JudgedSet>> result) {
        List<String> texts = new ArrayList<>(set.getCandidates().size());
        for (Candidate c : set.getCandidates()) {
            texts.add(c.getText());
        }
        panel.score(set.getPrefixText(), texts, 0).whenComplete((scores, error) -> {
            if (error != null) {
                failed.inc();
                Throwable cause = Failures.cause(error);
                String reason = Failures.reason(STAGE, cause);
                String detail = cause.getMessage();
                if (cause instanceof JudgeException je && je.rawReply() != null) {
                    detail += " | reply: " + je.rawReply();
                }
                result.complete(Collections.singleton(StageResult.failed(DeadLetters.of(STAGE, reason, detail,
                        set.getSample().getDocId(), set.getSample().getSampleIndex(), null))));
                return;
            }
            judged.inc();
            calls.inc(scores.calls());
            latency.update(scores.maxLatencyMillis());
            result.complete(Collections.singleton(StageResult.ok(toJudgedSet(set, scores))));
        });
    }

    @Override
    public void timeout(CandidateSet set, ResultFuture<StageResult<JudgedSet>> result) {
        failed.inc();
        result.complete(Collections.singleton(StageResult.failed(DeadLetters.of(STAGE, "judge_timeout",
                "judging the set took longer than the stage timeout", set.getSample().getDocId(),
                set.getSample().getSampleIndex(), null))));
    }

    public static JudgedSet toJudgedSet(CandidateSet set, PanelResult r) {
        List<Judgement> judgements = new ArrayList<>(r.scores().size());
        String judgeIds = String.join(",", r.judgeIds());
        for (int i = 0; i < r.scores().size(); i++) {
            CandidateScores s = r.scores().get(i);
            Map<String, Double> scores = new HashMap<>();
            putIfJudged(scores, "quality", s.quality());
            putIfJudged(scores, "safety", s.safety());
            putIfJudged(scores, "factuality", s.factuality());
            scores.put("combined", s.combined());
            judgements.add(Judgement.newBuilder()
                    .setDocId(set.getSample().getDocId())
                    .setSampleIndex(set.getSample().getSampleIndex())
                    .setCandidateIndex(i)
                    .setScores(scores)
                    .setRawVerdicts(r.verdictsByCandidate().get(i))
                    .setJudgeId(judgeIds)
                    .setLatencyMillis(r.maxLatencyMillis())
                    .build());
        }
        return JudgedSet.newBuilder()
                .setCandidateSet(set)
                .setJudgements(judgements)
                .setJudgeCalls(r.calls())
                .setJudgeLatencyMillis(r.maxLatencyMillis())
                .build();
    }

    private static void putIfJudged(Map<String, Double> scores, String name, double value) {
        if (!Double.isNaN(value)) {
            scores.put(name, value);
        }
    }
}
