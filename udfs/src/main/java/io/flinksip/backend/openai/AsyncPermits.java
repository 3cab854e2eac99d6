package io.flinksip.backend.openai;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A semaphore whose acquire returns a future instead of blocking, so waiting for a free slot never holds a thread
 * (Flink's async I/O calls us from the task thread, which must not block).
 */
final class AsyncPermits {
    private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
    private int available;

    AsyncPermits(int permits) {
        this.available = permits;
    }

    CompletableFuture<Void> acquire() {
        synchronized (this) {
            if (available > 0) {
                available--;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> waiter = new CompletableFuture<>();
            waiters.add(waiter);
            return waiter;
        }
    }

    void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiters.poll();
            if (next == null) {
                available++;
                return;
            }
        }
        next.completeAsync(() -> null); // hand the permit over off this thread
    }

    synchronized int waiting() {
        return waiters.size();
    }
}
