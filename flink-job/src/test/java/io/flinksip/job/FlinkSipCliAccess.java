package io.flinksip.job;

import io.flinksip.job.cli.FlinkSipCli;
import java.io.PrintStream;

/** The command line's entry, returning the exit code, for tests in other packages. */
public final class FlinkSipCliAccess {
    private FlinkSipCliAccess() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return FlinkSipCli.run(args, out, err);
    }
}
