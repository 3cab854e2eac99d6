package io.flinksip.sync;

import io.flinksip.deadletter.DeadLetters;
import io.flinksip.metrics.StageTime;
import io.flinksip.schema.Sample;
import org.apache.flink.streaming.api.functions.async.ResultFuture;

import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A stage's calls to its model (judge or rewriter) through the {@link VerdictLog}: an answer already logged for the
 * same key is reused without a call; otherwise the call is made and its answer logged before it leaves the stage.
 * Without a log (latest mode) calls pass straight through.
 *
 * <p>Each key is decided once: decisions are serialized and read the log before writing, so when a stage times out a
 * call (and emits that) the late reply finds the timeout already logged and loses to it; the log always holds what the
 * stage emitted. An answer is logged on the thread that completed the call, right away, so a task that is cancelled
 * (a failure elsewhere in the job) still leaves its answers for the replay. Reads run on a small pool off the task
 * thread.
 */
public final class LoggedCalls implements AutoCloseable {
    private final VerdictLog log;
    private final ExecutorService readers;
    private final AtomicLong reused = new AtomicLong();
    private final StageTime time;

    /** @param log where answers are kept, or null to call every time */
    public LoggedCalls(VerdictLog log, String name) {
        this(log, name, StageTime.unregistered());
    }

    /**
     * @param log where answers are kept, or null to call every time
     * @param time where the stage counts the time its calls are in flight
     */
    public LoggedCalls(VerdictLog log, String name, StageTime time) {
        this.log = log;
        this.time = time;
        this.readers = log == null ? null : Executors.newFixedThreadPool(4, daemon(name + "-verdict-reader"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public boolean logging() {
        return log != null;
    }

    /** Answers reused from the log instead of calling the model. */
    public long reused() {
        return reused.get();
    }

    /**
     * The logged answer for {@code key}, or the answer of {@code call} (which must not complete exceptionally: a failed
     * call is an answer too), logged first.
     */
    public CompletableFuture<LoggedAnswer> answer(long window, String key, Supplier<CompletableFuture<LoggedAnswer>> call) {
        if (log == null) {
            return call.get();
        }
        return CompletableFuture.supplyAsync(() -> log.read(window, key), readers).thenCompose(hit -> {
            if (hit.isPresent()) {
                reused.incrementAndGet();
                return CompletableFuture.completedFuture(LoggedAnswer.decode(hit.get()));
            }
            return call.get().thenApply(a -> decide(window, key, a));
        });
    }

    /**
     * Answers a call (or reuses its logged answer) and completes an async stage's result with it; when the verdict log
     * itself fails the record fails, and the job restarts rather than guess.
     */
    public <T> void completeInto(long window, String key, Supplier<CompletableFuture<LoggedAnswer>> call,
                                 ResultFuture<T> result, Function<LoggedAnswer, T> toResult) {
        long started = time.start();
        answer(window, key, call).whenComplete((answer, error) -> {
            time.since(started);
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(Collections.singleton(toResult.apply(answer)));
            }
        });
    }

    /**
     * A call past the stage's timeout: decided (and, in strict mode, logged) as a dead letter
     * {@code <stage>_timeout} unless an answer was logged first, then completed like any answer.
     */
    public <T> void timeoutInto(String stage, String what, Sample sample, String key, ResultFuture<T> result,
                                Function<LoggedAnswer, T> toResult) {
        LoggedAnswer timedOut = LoggedAnswer.failed(DeadLetters.ofSample(stage, stage + "_timeout",
                what + " took longer than the stage timeout", sample));
        result.complete(Collections.singleton(toResult.apply(decide(sample.getWindow(), key, timedOut))));
    }

    /** Logs {@code answer} unless an answer for the key is there already; returns the one that stands. */
    public synchronized LoggedAnswer decide(long window, String key, LoggedAnswer answer) {
        if (log == null) {
            return answer;
        }
        Optional<byte[]> existing = log.read(window, key);
        if (existing.isPresent()) {
            return LoggedAnswer.decode(existing.get());
        }
        log.write(window, key, answer.encode());
        return answer;
    }

    @Override
    public void close() {
        if (readers != null) {
            readers.shutdownNow();
        }
    }
}
