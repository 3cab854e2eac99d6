package io.flinksip.rewrite;

import io.flinksip.metrics.StageTime;
import io.flinksip.rollout.CandidateSets;
import io.flinksip.backend.JudgeBackendFactory;
import io.flinksip.backend.JudgeBackends;
import io.flinksip.backend.Rewriter;
import io.flinksip.backend.openai.ClientMetricGroups;
import io.flinksip.deadletter.StageResult;
import io.flinksip.schema.CandidateSet;
import io.flinksip.sync.LoggedAnswer;
import io.flinksip.sync.LoggedCalls;
import io.flinksip.sync.VerdictLog;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenizerBackend;
import io.flinksip.tokenizer.TokenizerJson;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Adds the rewritten suffix to a candidate set, second after the original suffix (Flink async I/O; a rewrite that
 * finally fails dead-letters the sample). Without a rewriter the set passes unchanged. In strict mode every rewrite goes
 * through the {@link VerdictLog}, so a replay reuses it instead of asking again.
 */
public final class RewriteAsyncFunction extends RichAsyncFunction<CandidateSet, StageResult<CandidateSet>> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "rewrite";

    private final JudgeBackendFactory backends;
    private final boolean rewrite;
    private final String tokenizerJson;
    private final TokenizerBackend tokenizerBackend;
    /** Rewrites longer than this many tokens are cut (the paper keeps the rewrite at the suffix length). */
    private final int maxRewriteTokens;
    private final VerdictLog verdicts;

    private transient TextTokenizer tokenizer;
    private transient LoggedCalls calls;
    private transient String fingerprint;
    private transient Rewriter rewriter;
    private transient Counter rewritten;
    private transient Counter failed;

    public RewriteAsyncFunction(JudgeBackendFactory backends, boolean rewrite, String tokenizerJson,
                                int maxRewriteTokens) {
        this(backends, rewrite, tokenizerJson, TokenizerBackend.AUTO, maxRewriteTokens, null);
    }

    /** @param verdicts where strict mode keeps rewrites for replays, or null */
    public RewriteAsyncFunction(JudgeBackendFactory backends, boolean rewrite, String tokenizerJson,
                                TokenizerBackend tokenizerBackend, int maxRewriteTokens, VerdictLog verdicts) {
        this.backends = backends;
        this.rewrite = rewrite;
        this.tokenizerJson = tokenizerJson;
        this.tokenizerBackend = tokenizerBackend;
        this.maxRewriteTokens = maxRewriteTokens;
        this.verdicts = verdicts;
    }

    @Override
    public void open(OpenContext openContext) {
        tokenizer = TokenizerJson.load(tokenizerJson, tokenizerBackend);
        JudgeBackends created = rewrite ? backends.create() : null;
        rewriter = created == null ? null : created.rewriter();
        if (created != null && created.clients().containsKey("rewriter")) {
            ClientMetricGroups.register(getRuntimeContext().getMetricGroup(),
                    Map.of("rewriter", created.clients().get("rewriter")));
        }
        if (rewrite && rewriter == null) {
            throw new IllegalStateException("rewriting is enabled but no rewriter backend is configured");
        }
        rewritten = getRuntimeContext().getMetricGroup().counter("rewrites");
        failed = getRuntimeContext().getMetricGroup().counter("rewritesFailed");
        calls = new LoggedCalls(rewriter == null ? null : verdicts, "rewrite",
                StageTime.register(getRuntimeContext().getMetricGroup(), STAGE));
        getRuntimeContext().getMetricGroup().gauge("rewritesReused", calls::reused);
        fingerprint = rewriter == null ? "" : backends.getClass().getName() + "|" + maxRewriteTokens;
    }

    @Override
    public void asyncInvoke(CandidateSet set, ResultFuture<StageResult<CandidateSet>> result) {
        if (rewriter == null) {
            result.complete(Collections.singleton(StageResult.ok(set)));
            return;
        }
        calls.completeInto(set.getSample().getWindow(), key(set), () -> rewriteOf(set), result,
                a -> toResult(set, a));
    }

    private CompletableFuture<LoggedAnswer> rewriteOf(CandidateSet set) {
        return rewriter.rewrite(set.getPrefixText(), suffix(set)).handle((r, error) -> {
            if (error != null) {
                return LoggedAnswer.failure(STAGE, error, set.getSample());
            }
            return LoggedAnswer.rewrite(r.text());
        });
    }

    private StageResult<CandidateSet> toResult(CandidateSet set, LoggedAnswer answer) {
        if (answer.failed() != null) {
            failed.inc();
            return StageResult.failed(answer.failed());
        }
        rewritten.inc();
        return StageResult.ok(CandidateSets.withRewrite(set, answer.rewrite(), tokenizer, maxRewriteTokens));
    }

    private static String suffix(CandidateSet set) {
        return set.getCandidates().get(0).getText(); // the original suffix always comes first
    }

    private String key(CandidateSet set) {
        return VerdictLog.key(STAGE, fingerprint, set.getSample().getDocId(), set.getSample().getSampleIndex(),
                List.of(set.getPrefixText(), suffix(set)));
    }

    @Override
    public void timeout(CandidateSet set, ResultFuture<StageResult<CandidateSet>> result) {
        calls.timeoutInto(STAGE, "rewriting", set.getSample(), key(set), result, a -> toResult(set, a));
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
        if (calls != null) {
            calls.close();
        }
    }
}
