package io.flinksip.job.cli;

import io.flinksip.job.soak.SoakRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** {@code soak}: hours of operation in minutes, with memory watched. */
@Command(name = "soak", sortOptions = false, description = {
    "Run the job on a monitored directory into which new JSONL files keep arriving, with a savepoint and an injected "
        + "task failure every few minutes, sampling the process's memory (RSS, heap, outside the heap). At the end "
        + "feeding stops, the job catches up, and every document fed must be accounted for. Writes soak.json and "
        + "soak.png under --work; exits 3 when a document is not accounted for."})
final class SoakCommand extends SipSubcommand {
    @Option(names = "--minutes", paramLabel = "N", description = "how long documents keep arriving (30)")
    int minutes = 30;

    @Option(names = "--work", paramLabel = "DIR", description = "an empty work directory (work/soak)")
    Path work = Path.of("work", "soak");

    @Option(names = "--feed-every", paramLabel = "SECONDS", description = "a new file every (10)")
    int feedEvery = 10;

    @Option(names = "--documents-per-file", paramLabel = "N", description = "documents per file (40)")
    int documentsPerFile = 40;

    @Override
    public Integer call() throws Exception {
        if (minutes < 1 || feedEvery < 1 || documentsPerFile < 1) {
            throw usage("--minutes, --feed-every and --documents-per-file must be positive");
        }
        SoakRun.Options d = SoakRun.Options.forMinutes(minutes, work);
        SoakRun.Result r = new SoakRun(new SoakRun.Options(d.duration(), d.warmUp(), Duration.ofSeconds(feedEvery),
                documentsPerFile, d.savepointEvery(), d.failEvery(), d.sampleEvery(), work), out()).run();
        return r.accounted() ? 0 : 3;
    }
}
