package io.flinksip.backend;

/**
 * A judge or rewriter call that finally failed. {@link #reason()} is a short machine-readable code used for dead
 * letters and counters; messages never contain credentials.
 */
public class JudgeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a call failed, for counting and dead-lettering. */
    public enum Reason {
        /** No reply within the timeout, after all retries. */
        TIMEOUT,
        /** The server kept answering 429 or 5xx, after all retries. */
        UNAVAILABLE,
        /** The server answered a non-retryable HTTP error (4xx other than 429). */
        REJECTED,
        /** The reply was not a well-formed chat completion. */
        MALFORMED_RESPONSE,
        /** The completion did not end with the verdict the protocol asks for. */
        UNPARSABLE_VERDICT,
        /** Transport failure (connection refused, reset). */
        IO_ERROR,
        /** The input cannot be judged (e.g. empty text where text is required). */
        INVALID_INPUT
    }

    private final Reason reason;
    private final String rawReply;

    public JudgeException(Reason reason, String message, String rawReply, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
        this.rawReply = rawReply;
    }

    public JudgeException(Reason reason, String message) {
        this(reason, message, null, null);
    }

    public Reason reason() {
        return reason;
    }

    /** The last reply received, if any (for dead letters), else null. */
    public String rawReply() {
        return rawReply;
    }
}
