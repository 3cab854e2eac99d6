package io.flinksip.job.cli;

import io.flinksip.job.RunAccountingReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code account}: where every input of a job went. */
@Command(name = "account", sortOptions = false, description = "Where every input of a job went. Exits 0 only when "
        + "every input line is trained, dead-lettered or blank, each exactly once (run it once the job has caught up); "
        + "3 when not.")
final class AccountCommand extends SipSubcommand {
    @Option(names = "--output", required = true, paramLabel = "DIR", description = "the job's sip.output.path")
    Path output;

    @Option(names = "--input", paramLabel = "PATH", description = "the job's sip.input.path, for file input")
    Path input;

    @Option(names = "--max-line-bytes", paramLabel = "N", description = "the job's sip.input.max-line-bytes (4 MiB)")
    int maxLineBytes = 4 << 20;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(output)) {
            throw new UserError("--output " + output + ": not a directory");
        }
        if (input != null && !Files.exists(input)) {
            throw new UserError("--input " + input + ": no such file or directory");
        }
        if (maxLineBytes < 16) {
            throw usage("--max-line-bytes must be at least 16");
        }
        return RunAccountingReport.print(input, output, maxLineBytes, out());
    }
}
