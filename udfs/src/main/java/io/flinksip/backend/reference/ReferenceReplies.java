package io.flinksip.backend.reference;

import io.flinksip.backend.JudgeException;
import io.flinksip.backend.Judged;

import java.util.concurrent.CompletableFuture;

/** How the reference judges answer: at once, in one attempt, with a short audit line as the raw reply. */
final class ReferenceReplies {
    private ReferenceReplies() {
    }

    static <V> CompletableFuture<Judged<V>> verdict(V verdict, String explanation, String judgeId) {
        return CompletableFuture.completedFuture(new Judged<>(verdict, explanation, judgeId, 0L, 1));
    }

    /** A failed future for a null argument: the pipeline dead-letters it like any other unjudgeable input. */
    static <T> CompletableFuture<T> invalid(String what) {
        return CompletableFuture.failedFuture(
                new JudgeException(JudgeException.Reason.INVALID_INPUT, what + " is null"));
    }

    /** Quotes a text span for an audit line, shortened to keep replies one readable line. */
    static String quote(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return "'" + (oneLine.length() > 120 ? oneLine.substring(0, 117) + "..." : oneLine) + "'";
    }
}
