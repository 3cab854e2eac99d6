package io.flinksip.job.cli;

import io.flinksip.job.ClusterEntry;

import java.io.PrintStream;

/**
 * The {@code flink-sip} command line's entry (the launcher's jar). Commands and their options are in
 * {@link FlinkSipCommand}; the cluster jar's entry, which must not exit the JVM, is {@link ClusterEntry}.
 */
public final class FlinkSipCli {
    private FlinkSipCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return FlinkSipCommand.execute(args, out, err, System.in);
    }
}
