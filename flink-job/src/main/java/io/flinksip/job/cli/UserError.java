package io.flinksip.job.cli;

/**
 * A mistake found before anything started (a missing file, a checkpoint that does not fit): reported as one line, exit
 * code 2, without a stack trace.
 */
final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
        super(message);
    }
}
