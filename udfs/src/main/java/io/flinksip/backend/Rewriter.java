package io.flinksip.backend;

import java.util.concurrent.CompletableFuture;

/**
 * Rewrites a continuation so that it is better than the original: false statements corrected, unsafe content
 * answered safely, and a continuation that is already good copied unchanged (the paper's rewriter behaviour).
 * Futures complete exceptionally with a {@link io.flinksip.backend.JudgeException} when no rewrite could be obtained.
 */
public interface Rewriter {
    CompletableFuture<Rewritten> rewrite(String prefix, String suffix);

    /**
     * @param text the rewritten continuation
     * @param rewriterId backend and model, for provenance
     * @param latencyMillis wall time, retries included
     */
    record Rewritten(String text, String rewriterId, long latencyMillis) {
    }
}
