package io.flinksip.job.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code bench}: the benchmarks of the bench module (not part of the test suite). */
@Command(name = "bench", description = {"Benchmarks, each printing its figures with machine and date:",
    "  policy   training tokens/s, KV-cached vs recompute sampling, state serialisation",
    "  judge    judge-client throughput against a 100 ms-latency server at several concurrency limits",
    "  job [documents] [--sync latest|strict|both]   the job against the same stages in a plain loop",
    "The launcher (./flink-sip bench ...) runs them from the bench module's jar."})
final class BenchCommand extends SipSubcommand {
    static final String MAIN = "io.flinksip.bench.BenchMain";

    @Parameters(paramLabel = "ARGS", description = "policy | judge | job [documents] [--sync latest|strict|both]")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Class<?> main;
        try {
            main = Class.forName(MAIN);
        } catch (ClassNotFoundException e) {
            throw new UserError("the benchmarks are in the bench module: run ./flink-sip bench "
                    + String.join(" ", args));
        }
        main.getMethod("main", String[].class).invoke(null, (Object) args.toArray(new String[0]));
        return 0;
    }
}
