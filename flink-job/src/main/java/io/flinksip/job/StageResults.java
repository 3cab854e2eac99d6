package io.flinksip.job;

import io.flinksip.deadletter.DeadLetters;
import io.flinksip.deadletter.StageResult;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Splits an async stage's in-band results: values go on, dead letters to the side output. */
final class StageResults<T> extends ProcessFunction<StageResult<T>, T> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(StageResult<T> result, Context ctx, Collector<T> out) {
        if (result.isOk()) {
            out.collect(result.value);
        } else {
            ctx.output(DeadLetters.TAG, result.deadLetter);
        }
    }
}
