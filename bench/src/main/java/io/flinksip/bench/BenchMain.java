package io.flinksip.bench;

import java.time.LocalDate;

/**
 * Benchmarks, run by hand or by {@code ./flink-sip bench}; never part of the test suite. Each prints its figures with
 * the machine and date so they can be quoted.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length == 0 ? "policy" : args[0];
        System.out.printf("flink-sip bench '%s' on %s, %d cores, Java %s, %s%n", which,
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), LocalDate.now());
        switch (which) {
            case "policy" -> PolicyBench.main(args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length)
                    : new String[0]);
            case "judge" -> JudgeThroughputBench.main(new String[0]);
            case "job" -> JobOverheadBench.main(args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length)
                    : new String[0]);
            case "scale" -> ScaleBench.main(args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length)
                    : new String[0]);
            case "checkpoint" -> CheckpointBench.main(args.length > 1
                    ? java.util.Arrays.copyOfRange(args, 1, args.length) : new String[0]);
            default -> {
                System.err.println("unknown bench '" + which + "' (known: policy, judge, job, scale, checkpoint)");
                System.exit(2);
            }
        }
    }
}
