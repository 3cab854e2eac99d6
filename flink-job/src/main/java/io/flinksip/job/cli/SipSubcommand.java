package io.flinksip.job.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** What every sub-command shares: the streams, help, and the way it reports a mistake in how it was called. */
abstract class SipSubcommand implements Callable<Integer> {
    @ParentCommand
    FlinkSipCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this command's options and exit")
    boolean help;

    @Option(names = "--verbose", description = "print the stack trace of an error")
    boolean verbose;

    PrintStream out() {
        return root.out;
    }

    /** A mistake in the arguments: one line and exit code 2. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
