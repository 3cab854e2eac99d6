package io.flinksip.backend;

import java.util.concurrent.CompletionException;

/** Failures of asynchronous judge and rewriter calls. */
public final class Failures {
    private Failures() {
    }

    /** The failure a future completed with, without the {@link CompletionException} wrapper of dependent stages. */
    public static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** A stable dead-letter reason code: {@code <stage>_<reason>} for a {@link JudgeException}, else {@code <stage>_error}. */
    public static String reason(String stage, Throwable cause) {
        return cause instanceof JudgeException je ? stage + "_" + je.reason().name().toLowerCase() : stage + "_error";
    }
}
