package io.flinksip.job.cli;

/** Quotes an argument for a POSIX shell, so a printed command can be copied as it is. */
final class ShellQuote {
    private ShellQuote() {
    }

    static String quote(String arg) {
        if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_./:=,@%+-]+")) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
