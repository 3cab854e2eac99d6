package io.flinksip.rewrite;

import io.flinksip.deadletter.DeadLetters;
import io.flinksip.judge.JudgeBackendFactory;
import io.flinksip.judge.Failures;
import io.flinksip.judge.StageResult;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.Sample;
import io.flinksip.segment.Segmenter;
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
import java.util.concurrent.CompletableFuture;

/**
 * Opens a candidate set for a sample: decodes prefix and suffix, puts the original suffix first and, when a rewriter
 * is configured, its rewrite second (Flink async I/O; a rewrite that finally fails dead-letters the sample). In strict
 * mode every rewrite goes through the {@link VerdictLog}, so a replay reuses it instead of asking again.
 */
public final class RewriteAsyncFunction extends RichAsyncFunction<Sample, StageResult<CandidateSet>> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "rewrite";

    private final JudgeBackendFactory backends;
    private final boolean rewrite;
    private final String tokenizerJson;
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
        this(backends, rewrite, tokenizerJson, maxRewriteTokens, null);
    }

    /** @param verdicts where strict mode keeps rewrites for replays, or null */
    public RewriteAsyncFunction(JudgeBackendFactory backends, boolean rewrite, String tokenizerJson,
                                int maxRewriteTokens, VerdictLog verdicts) {
        this.backends = backends;
        this.rewrite = rewrite;
        this.tokenizerJson = tokenizerJson;
        this.maxRewriteTokens = maxRewriteTokens;
        this.verdicts = verdicts;
    }

    @Override
    public void open(OpenContext openContext) {
        tokenizer = TokenizerJson.load(tokenizerJson, TokenizerBackend.PURE_JAVA);
        rewriter = rewrite ? backends.create().rewriter() : null;
        if (rewrite && rewriter == null) {
            throw new IllegalStateException("rewriting is enabled but no rewriter backend is configured");
        }
        rewritten = getRuntimeContext().getMetricGroup().counter("rewrites");
        failed = getRuntimeContext().getMetricGroup().counter("rewritesFailed");
        calls = new LoggedCalls(rewriter == null ? null : verdicts, "rewrite");
        getRuntimeContext().getMetricGroup().gauge("rewritesReused", calls::reused);
        fingerprint = rewriter == null ? "" : backends.getClass().getName() + "|" + maxRewriteTokens;
    }

    @Override
    public void asyncInvoke(Sample sample, ResultFuture<StageResult<CandidateSet>> result) {
        String prefix = tokenizer.decode(Segmenter.unboxed(sample.getPrefixTokens()));
        String suffix = tokenizer.decode(Segmenter.unboxed(sample.getSuffixTokens()));
        if (rewriter == null) {
            result.complete(Collections.singleton(StageResult.ok(CandidateSets.open(sample, prefix, suffix, null,
                    tokenizer, maxRewriteTokens))));
            return;
        }
        calls.answer(sample.getWindow(), key(sample, prefix, suffix), () -> rewriteOf(sample, prefix, suffix))
                .whenComplete((answer, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error); // the verdict log failed: restart rather than guess
                    } else {
                        result.complete(Collections.singleton(toResult(sample, prefix, suffix, answer)));
                    }
                });
    }

    private CompletableFuture<LoggedAnswer> rewriteOf(Sample sample, String prefix, String suffix) {
        return rewriter.rewrite(prefix, suffix).handle((r, error) -> {
            if (error != null) {
                Throwable cause = Failures.cause(error);
                return LoggedAnswer.failed(DeadLetters.ofSample(STAGE, Failures.reason(STAGE, cause),
                        cause.getMessage(), sample));
            }
            return LoggedAnswer.rewrite(r.text());
        });
    }

    private StageResult<CandidateSet> toResult(Sample sample, String prefix, String suffix, LoggedAnswer answer) {
        if (answer.failed() != null) {
            failed.inc();
            return StageResult.failed(answer.failed());
        }
        rewritten.inc();
        return StageResult.ok(CandidateSets.open(sample, prefix, suffix, answer.rewrite(), tokenizer,
                maxRewriteTokens));
    }

    private String key(Sample sample, String prefix, String suffix) {
        return VerdictLog.key(STAGE, fingerprint, sample.getDocId(), sample.getSampleIndex(), List.of(prefix, suffix));
    }

    @Override
    public void timeout(Sample sample, ResultFuture<StageResult<CandidateSet>> result) {
        LoggedAnswer timedOut = LoggedAnswer.failed(DeadLetters.ofSample(STAGE, "rewrite_timeout",
                "rewriting took longer than the stage timeout", sample));
        String prefix = tokenizer.decode(Segmenter.unboxed(sample.getPrefixTokens()));
        String suffix = tokenizer.decode(Segmenter.unboxed(sample.getSuffixTokens()));
        result.complete(Collections.singleton(toResult(sample, prefix, suffix,
                calls.decide(sample.getWindow(), key(sample, prefix, suffix), timedOut))));
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
