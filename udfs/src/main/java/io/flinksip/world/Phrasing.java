package io.flinksip.world;

/**
 * The two disjoint sets of sentence templates. Training documents state facts only in TRAIN phrasings, held-out
 * documents only in HELD_OUT ones, so an evaluation on held-out text measures whether a policy learnt the facts
 * rather than the sentences they came in.
 */
public enum Phrasing {
    TRAIN,
    HELD_OUT
}
