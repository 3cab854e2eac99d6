package io.flinksip.deadletter;

import io.flinksip.schema.DeadLetter;

/**
 * The output of an async stage: a value or a dead letter (async functions have no side outputs, so failures travel
 * in-band and are split off right after the stage). A Flink POJO.
 */
public class StageResult<T> {
    public T value;
    public DeadLetter deadLetter;

    public StageResult() {
    }

    public static <T> StageResult<T> ok(T value) {
        StageResult<T> r = new StageResult<>();
        r.value = value;
        return r;
    }

    public static <T> StageResult<T> failed(DeadLetter deadLetter) {
        StageResult<T> r = new StageResult<>();
        r.deadLetter = deadLetter;
        return r;
    }

    public boolean isOk() {
        return deadLetter == null;
    }
}
