package io.flinksip.deadletter;

import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drives an async stage in Flink's operator harness to its results: answered calls complete through the operator's
 * mailbox, and calls that never answer time out only when the harness's manual clock passes the stage timeout.
 */
public final class AsyncStageHarness {
    private AsyncStageHarness() {
    }

    /**
     * Waits (at most 30 s) until {@code answered} results are out, then moves the clock to {@code pastTimeoutMillis}
     * so the unanswered calls time out, and returns every result.
     */
    public static <I, O> List<O> results(OneInputStreamOperatorTestHarness<I, O> h, int answered,
                                         long pastTimeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (h.extractOutputValues().size() < answered && System.currentTimeMillis() < deadline) {
            drainMailbox(h);
            Thread.sleep(10);
        }
        h.setProcessingTime(pastTimeoutMillis);
        drainMailbox(h);
        return new ArrayList<>(h.extractOutputValues());
    }

    private static void drainMailbox(OneInputStreamOperatorTestHarness<?, ?> h) throws Exception {
        Optional<Mail> mail;
        while ((mail = h.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY)).isPresent()) {
            mail.get().run();
        }
    }
}
