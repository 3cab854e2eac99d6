package io.flinksip.sync;

import io.flinksip.deadletter.DeadLetters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdict log and the calls through it: reuse, one decision per key, and forgetting committed windows. */
class VerdictLogTest {
    private static CompletableFuture<LoggedAnswer> rewrite(AtomicInteger calls, String text) {
        calls.incrementAndGet();
        return CompletableFuture.completedFuture(LoggedAnswer.rewrite(text));
    }

    @Test
    void aReplayReusesTheLoggedAnswerWithoutCallingAgain(@TempDir Path dir) {
        VerdictLog log = new VerdictLog(dir.toString());
        String key = VerdictLog.key("rewrite", "f", "doc", 0, List.of("prefix", "suffix"));
        AtomicInteger calls = new AtomicInteger();
        try (LoggedCalls first = new LoggedCalls(log, "a")) {
            assertEquals("first answer", first.answer(3, key, () -> rewrite(calls, "first answer")).join().rewrite());
        }
        try (LoggedCalls replay = new LoggedCalls(log, "b")) { // a new attempt, as after a restart
            assertEquals("first answer", replay.answer(3, key, () -> rewrite(calls, "another answer")).join()
                    .rewrite(), "the replay gets what the first attempt got");
            assertEquals(1, replay.reused());
        }
        assertEquals(1, calls.get(), "the model was asked once");
    }

    @Test
    void withoutALogEveryRequestCalls() {
        AtomicInteger calls = new AtomicInteger();
        try (LoggedCalls direct = new LoggedCalls(null, "x")) {
            direct.answer(0, "k", () -> rewrite(calls, "a")).join();
            direct.answer(0, "k", () -> rewrite(calls, "b")).join();
        }
        assertEquals(2, calls.get());
    }

    @Test
    void theFirstDecisionStandsSoALateReplyLosesToATimeoutAlreadyEmitted(@TempDir Path dir) {
        VerdictLog log = new VerdictLog(dir.toString());
        try (LoggedCalls calls = new LoggedCalls(log, "t")) {
            CompletableFuture<LoggedAnswer> reply = new CompletableFuture<>();
            CompletableFuture<LoggedAnswer> answered = calls.answer(1, "k", () -> reply);
            LoggedAnswer timeout = LoggedAnswer.failed(DeadLetters.of("judge", "judge_timeout", "", "doc", 0, null));
            // The stage times out while the call is still out, and emits the timeout.
            assertEquals("judge_timeout", calls.decide(1, "k", timeout).failed().getReason());
            reply.complete(LoggedAnswer.rewrite("late"));
            LoggedAnswer stands = answered.join();
            assertNull(stands.rewrite(), "the late reply does not replace the emitted timeout");
            assertEquals("judge_timeout", LoggedAnswer.decode(log.read(1, "k").orElseThrow()).failed().getReason());
        }
    }

    @Test
    void keysDifferWithAnyInputAndAreUnambiguous() {
        String a = VerdictLog.key("judge", "f", "doc", 0, List.of("ab", "c"));
        assertNotEquals(a, VerdictLog.key("judge", "f", "doc", 0, List.of("a", "bc")), "length-prefixed parts");
        assertNotEquals(a, VerdictLog.key("judge", "f", "doc", 1, List.of("ab", "c")));
        assertNotEquals(a, VerdictLog.key("judge", "g", "doc", 0, List.of("ab", "c")));
        assertEquals(a, VerdictLog.key("judge", "f", "doc", 0, List.of("ab", "c")));
    }

    @Test
    void forgetsOnlyWindowsBeforeTheCommittedOne(@TempDir Path dir) {
        VerdictLog log = new VerdictLog(dir.toString());
        for (long w = 0; w < 4; w++) {
            log.write(w, "k" + w, LoggedAnswer.rewrite("w" + w).encode());
        }
        log.forgetWindowsBefore(2);
        assertTrue(log.read(0, "k0").isEmpty());
        assertTrue(log.read(1, "k1").isEmpty());
        assertEquals("w2", LoggedAnswer.decode(log.read(2, "k2").orElseThrow()).rewrite());
        assertEquals(2, log.windowsKept());
    }

    @Test
    void answersAreWrittenWholeOrNotAtAll(@TempDir Path dir) throws Exception {
        VerdictLog log = new VerdictLog(dir.toString());
        log.write(0, "k", LoggedAnswer.rewrite("text").encode());
        try (var files = Files.walk(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }
}
