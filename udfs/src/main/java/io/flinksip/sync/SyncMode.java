package io.flinksip.sync;

/** How rollouts pick the policy version they sample from, and so what a step's examples may be. */
public enum SyncMode {
    /**
     * Rollouts use the newest published version; staleness is bounded by flow control (a sample of step window w is
     * admitted only once version w − S exists). Fast, not replayable: which samples form a window depends on arrival
     * order.
     */
    LATEST,
    /**
     * Windows are numbered in source order per shard and the rollouts of window w use exactly version w − lag: a
     * step's content depends only on the input, the seeds and the judges, so a replay is bit-identical.
     */
    STRICT
}
