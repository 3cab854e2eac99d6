package io.flinksip.backend.server;

/** A failure the reference server can inject into one reply, to exercise clients' error paths. */
public enum Fault {
    /** A normal reply. */
    NONE,
    /** HTTP 500 with an error body. */
    SERVER_ERROR,
    /** HTTP 429 with a Retry-After header. */
    RATE_LIMITED,
    /** No reply until long after any sensible client timeout. */
    HANG,
    /** HTTP 200 with a body cut off in the middle of the JSON. */
    TRUNCATED_JSON,
    /** A well-formed completion whose text lacks the verdict the protocol asks for. */
    WRONG_FORMAT,
    /** HTTP 401 whose body echoes the Authorization header (a misbehaving server; clients must not leak it). */
    ECHO_CREDENTIALS
}
