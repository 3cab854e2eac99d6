package io.flinksip.backend;

/**
 * One judge call's outcome.
 *
 * @param verdict the parsed verdict
 * @param rawReply the judge's reply text as received (kept for audit and dead letters; never contains credentials)
 * @param judgeId which judge produced it (backend and model), for provenance
 * @param latencyMillis wall time of the call, retries included
 * @param attempts number of attempts the call took (1 when it succeeded at once)
 */
public record Judged<V>(V verdict, String rawReply, String judgeId, long latencyMillis, int attempts) {
}
