package io.flinksip.rewrite;

import io.flinksip.deadletter.DeadLetters;
import io.flinksip.judge.JudgeBackendFactory;
import io.flinksip.judge.Failures;
import io.flinksip.judge.StageResult;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.Sample;
import io.flinksip.segment.Segmenter;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenizerBackend;
import io.flinksip.tokenizer.TokenizerJson;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

import java.util.Collections;
import java.util.concurrent.CompletableFuture;

/**
 * Opens a candidate set for a sample: decodes prefix and suffix, puts the original suffix first and, when a rewriter
 * is configured, its rewrite second (Flink async I/O; a rewrite that finally fails dead-letters the sample).
 */
public final class RewriteAsyncFunction extends RichAsyncFunction<Sample, StageResult<CandidateSet>> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "rewrite";

    private final JudgeBackendFactory backends;
    private final boolean rewrite;
    private final String tokenizerJson;
    /** Rewrites longer than this many tokens are cut (the paper keeps the rewrite at the suffix length). */
    private final int maxRewriteTokens;

    private transient TextTokenizer tokenizer;
    private transient Rewriter rewriter;
    private transient Counter rewritten;
    private transient Counter failed;

    public RewriteAsyncFunction(JudgeBackendFactory backends, boolean rewrite, String tokenizerJson,
                                int maxRewriteTokens) {
        this.backends = backends;
        this.rewrite = rewrite;
        this.tokenizerJson = tokenizerJson;
        this.maxRewriteTokens = maxRewriteTokens;
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
    }

    @Override
    public void asyncInvoke(Sample sample, ResultFuture<StageResult<CandidateSet>> result) {
        String prefix = tokenizer.decode(Segmenter.unboxed(sample.getPrefixTokens()));
        String suffix = tokenizer.decode(Segmenter.unboxed(sample.getSuffixTokens()));
        CompletableFuture<Rewriter.Rewritten> rewriting = rewriter == null
                ? CompletableFuture.completedFuture(null) : rewriter.rewrite(prefix, suffix);
        rewriting.whenComplete((r, error) -> {
            if (error != null) {
                failed.inc();
                Throwable cause = Failures.cause(error);
                String reason = Failures.reason(STAGE, cause);
                result.complete(Collections.singleton(StageResult.failed(DeadLetters.of(STAGE, reason,
                        cause.getMessage(), sample.getDocId(), sample.getSampleIndex(), null))));
                return;
            }
            if (r != null) {
                rewritten.inc();
            }
            result.complete(Collections.singleton(StageResult.ok(CandidateSets.open(sample, prefix, suffix,
                    r == null ? null : r.text(), tokenizer, maxRewriteTokens))));
        });
    }

    @Override
    public void timeout(Sample sample, ResultFuture<StageResult<CandidateSet>> result) {
        failed.inc();
        result.complete(Collections.singleton(StageResult.failed(DeadLetters.of(STAGE, "rewrite_timeout",
                "rewriting took longer than the stage timeout", sample.getDocId(), sample.getSampleIndex(), null))));
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
