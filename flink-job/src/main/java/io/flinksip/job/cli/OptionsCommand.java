package io.flinksip.job.cli;

import io.flinksip.job.config.OptionsDocs;
import picocli.CommandLine.Command;

/** {@code options}: docs/options.md. */
@Command(name = "options", description = "Print the configuration options as Markdown (docs/options.md).")
final class OptionsCommand extends SipSubcommand {
    @Override
    public Integer call() {
        out().print(OptionsDocs.markdown());
        return 0;
    }
}
