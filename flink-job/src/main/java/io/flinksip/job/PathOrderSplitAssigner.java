package io.flinksip.job;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Hands out file splits in path order (then offset), so that one reader reads a directory in the same order on every
 * run: strict mode numbers samples in source order, and the order of files is part of it. (Flink's own assigners take
 * splits from the end of a list, in the order the file system listed them.) Splits discovered later in a monitored
 * directory join the remaining ones in path order; the remaining splits are part of the source's checkpoint.
 */
final class PathOrderSplitAssigner implements FileSplitAssigner {
    private static final Comparator<FileSourceSplit> ORDER = Comparator
            .comparing((FileSourceSplit s) -> s.path().toString())
            .thenComparingLong(FileSourceSplit::offset)
            .thenComparing(FileSourceSplit::splitId);

    private final TreeSet<FileSourceSplit> remaining = new TreeSet<>(ORDER);

    PathOrderSplitAssigner(Collection<FileSourceSplit> initial) {
        remaining.addAll(initial);
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        return Optional.ofNullable(remaining.pollFirst());
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> splits) {
        remaining.addAll(splits);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        return new ArrayList<>(remaining);
    }
}
