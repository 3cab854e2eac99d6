package io.flinksip.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** The {@code account} command's report: the accounting of a job's committed outputs against its input. */
public final class RunAccountingReport {
    private RunAccountingReport() {
    }

    /** Prints where every input went; returns 0 when each is accounted for exactly once, else 3. */
    public static int print(Path input, Path output, int maxLineBytes, PrintStream out) throws IOException {
        InputCensus census = input == null ? null : InputCensus.of(input, maxLineBytes).orElse(null);
        RunAccounting a = RunAccounting.of(census, output);
        for (String line : a.describe(true)) {
            out.println(line);
        }
        return a.holdsForFinishedRun() && a.duplicates() == 0 ? 0 : 3;
    }
}
