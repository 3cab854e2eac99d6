package io.flinksip.job.soak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the process holds: its resident set (Linux {@code /proc/self/status}), the JVM heap, and what is outside the
 * heap (RSS minus committed heap: PyTorch's tensors, RocksDB, direct buffers, code), where a native leak shows.
 */
final class MemorySampler {
    /** One sample, in MiB, at {@code seconds} since the start. */
    record Sample(double seconds, double rssMb, double heapUsedMb, double heapCommittedMb) {
        double outsideHeapMb() {
            return rssMb - heapCommittedMb;
        }
    }

    private final long started = System.nanoTime();

    Sample sample() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Sample((System.nanoTime() - started) / 1e9, rssMb(), heap.getUsed() / 1048576.0,
                heap.getCommitted() / 1048576.0);
    }

    static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0; // kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no RSS
        }
        return Double.NaN;
    }
}
