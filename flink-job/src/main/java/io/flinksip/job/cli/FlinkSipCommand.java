package io.flinksip.job.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** The {@code flink-sip} command line: one sub-command per task, each with its own {@code --help}. */
@Command(name = "flink-sip", description = "Self-improving pretraining (SIP) as an Apache Flink job.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {RunCommand.class, EvalCommand.class, GenerateCommand.class, ExperimentCommand.class,
            DemoCommand.class, SubmitCommand.class, ProduceCommand.class, TailCommand.class, JudgeServerCommand.class,
            SoakCommand.class, BenchCommand.class, AccountCommand.class, OptionsCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "With no command, flink-sip runs 'run'. 'flink-sip COMMAND --help' prints a command's options; "
                + "every -D option is in docs/options.md."})
public final class FlinkSipCommand implements Callable<Integer> {
    final PrintStream out;
    final PrintStream err;
    final InputStream in;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this text and exit")
    boolean help;

    FlinkSipCommand(PrintStream out, PrintStream err, InputStream in) {
        this.out = out;
        this.err = err;
        this.in = in;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(out);
        return 0;
    }

    /** Parses and runs a command line; returns the exit code (0 ok, 1 failed, 2 a mistake in how it was called). */
    public static int execute(String[] args, PrintStream out, PrintStream err, InputStream in) {
        CommandLine cl = new CommandLine(new FlinkSipCommand(out, err, in));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, given) -> {
            err.println("flink-sip: " + e.getMessage());
            if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                err.println("did you mean: " + String.join(", ", u.getSuggestions()) + "?");
            }
            String name = e.getCommandLine().getCommandName();
            err.println(name.equals("flink-sip") ? "see: flink-sip help" : "see: flink-sip " + name + " --help");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            String name = command.getCommandName();
            boolean verbose = command.getParseResult().hasMatchedOption("--verbose");
            if (e instanceof UserError) {
                err.println("flink-sip " + name + ": " + e.getMessage());
                return 2;
            }
            err.println("flink-sip " + name + " failed: " + rootCause(e));
            if (verbose) {
                e.printStackTrace(err);
            } else {
                err.println("(--verbose prints the stack trace)");
            }
            return 1;
        });
        return cl.execute(args.length == 0 ? new String[] {"run"} : args);
    }

    /** The innermost cause, as "Type: message", where a user reads what actually went wrong. */
    static String rootCause(Throwable e) {
        Throwable root = io.flinksip.job.EmbeddedRun.rootOf(e);
        String message = root.getMessage();
        return root instanceof IllegalArgumentException && message != null ? message
                : root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
