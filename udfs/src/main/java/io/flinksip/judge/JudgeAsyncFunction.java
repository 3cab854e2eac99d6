package io.flinksip.judge;

import io.flinksip.backend.JudgeBackendFactory;
import io.flinksip.backend.JudgeBackends;
import io.flinksip.backend.openai.ClientMetricGroups;
import io.flinksip.deadletter.StageResult;
import io.flinksip.judge.panel.CandidateScores;
import io.flinksip.judge.panel.JudgePanel;
import io.flinksip.judge.panel.PanelConfig;
import io.flinksip.judge.panel.PanelResult;
import io.flinksip.metrics.StageTime;
import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.JudgedSet;
import io.flinksip.schema.Judgement;
import io.flinksip.sync.LoggedAnswer;
import io.flinksip.sync.LoggedCalls;
import io.flinksip.sync.VerdictLog;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The judge stage on Flink's async I/O: scores a candidate set with the {@link JudgePanel}. A set whose judging
 * finally fails, or runs past the async timeout, becomes a dead letter (as a {@link StageResult}), never an exception
 * that would restart the job. In strict mode every answer goes through the {@link VerdictLog}, so a replay reuses it
 * instead of asking the judges again.
 */
public final class JudgeAsyncFunction extends RichAsyncFunction<CandidateSet, StageResult<JudgedSet>> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "judge";

    private final PanelConfig panelConfig;
    private final JudgeBackendFactory backends;
    private final VerdictLog verdicts;

    private transient JudgePanel panel;
    private transient LoggedCalls calls;
    private transient String fingerprint;
    private transient Counter judged;
    private transient Counter failed;
    private transient Counter judgeCalls;
    private transient Histogram latency;

    public JudgeAsyncFunction(PanelConfig panelConfig, JudgeBackendFactory backends) {
        this(panelConfig, backends, null);
    }

    /** @param verdicts where strict mode keeps answers for replays, or null */
    public JudgeAsyncFunction(PanelConfig panelConfig, JudgeBackendFactory backends, VerdictLog verdicts) {
        this.panelConfig = panelConfig;
        this.backends = backends;
        this.verdicts = verdicts;
    }

    @Override
    public void open(OpenContext openContext) {
        JudgeBackends b = backends.create();
        panel = new JudgePanel(panelConfig, b.quality(), b.safety(), b.factuality());
        var group = getRuntimeContext().getMetricGroup();
        ClientMetricGroups.register(group, b.clients());
        judged = group.counter("setsJudged");
        failed = group.counter("setsFailed");
        judgeCalls = group.counter("judgeCalls");
        this.calls = new LoggedCalls(verdicts, "judge", StageTime.register(group, STAGE));
        group.gauge("verdictsReused", this.calls::reused);
        fingerprint = panelConfig + "|" + backends.getClass().getName();
        latency = group.histogram("judgeLatencyMs", new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void asyncInvoke(CandidateSet set, ResultFuture<StageResult<JudgedSet>> result) {
        calls.completeInto(set.getSample().getWindow(), key(set), () -> judge(set), result, a -> toResult(set, a));
    }

    private CompletableFuture<LoggedAnswer> judge(CandidateSet set) {
        List<String> texts = new ArrayList<>(set.getCandidates().size());
        for (Candidate c : set.getCandidates()) {
            texts.add(c.getText());
        }
        return panel.score(set.getPrefixText(), texts, 0).handle((scores, error) -> {
            if (error != null) {
                return LoggedAnswer.failure(STAGE, error, set.getSample());
            }
            judgeCalls.inc(scores.calls());
            latency.update(scores.maxLatencyMillis());
            return LoggedAnswer.judged(toJudgedSet(set, scores));
        });
    }

    private StageResult<JudgedSet> toResult(CandidateSet set, LoggedAnswer answer) {
        if (answer.failed() != null) {
            failed.inc();
            return StageResult.failed(answer.failed());
        }
        judged.inc();
        // A reused answer was logged for identical candidates; the set itself is the one in hand.
        return StageResult.ok(JudgedSet.newBuilder(answer.judged()).setCandidateSet(set).build());
    }

    private String key(CandidateSet set) {
        List<String> inputs = new ArrayList<>(set.getCandidates().size() + 1);
        inputs.add(set.getPrefixText());
        for (Candidate c : set.getCandidates()) {
            inputs.add(c.getText());
        }
        return VerdictLog.key(STAGE, fingerprint, set.getSample().getDocId(), set.getSample().getSampleIndex(), inputs);
    }

    @Override
    public void timeout(CandidateSet set, ResultFuture<StageResult<JudgedSet>> result) {
        calls.timeoutInto(STAGE, "judging the set", set.getSample(), key(set), result, a -> toResult(set, a));
    }

    @Override
    public void close() {
        if (calls != null) {
            calls.close();
        }
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
