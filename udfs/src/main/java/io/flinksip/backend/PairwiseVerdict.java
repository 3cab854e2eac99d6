package io.flinksip.backend;

/** Which of two continuations a quality judge prefers, by the position it was shown in. */
public enum PairwiseVerdict {
    FIRST,
    SECOND
}
