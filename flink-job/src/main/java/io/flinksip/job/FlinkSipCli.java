package io.flinksip.job;

import io.flinksip.job.demo.PolicyTrainingDemo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The {@code flink-sip} command line. */
public final class FlinkSipCli {
    static final String USAGE = """
            usage: flink-sip <command> [options]

            commands:
              demo    train the tiny policy on a generated corpus with next-token pretraining, print progress,
                      and write a Hugging Face checkpoint and the learner state
                      --steps N (200)  --batch N (16)  --seq-len N (128)  --vocab N (2048, 512..4096)
                      --docs N (3000)  --lr X (3e-3)  --seed N (42)  --work DIR (work/demo)
              options print the configuration options as Markdown (docs/options.md)
              help    print this text
            """;

    private FlinkSipCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "demo" : args[0];
        List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        try {
            switch (command) {
                case "demo" -> {
                    PolicyTrainingDemo.Result r = new PolicyTrainingDemo(demoOptions(rest), out).run();
                    return r.finalHeldOutLoss() < r.initialHeldOutLoss() ? 0 : 1;
                }
                case "options" -> {
                    out.print(io.flinksip.job.config.OptionsDocs.markdown());
                    return 0;
                }
                case "help", "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> throw new CommandLine.UsageException("unknown command '" + command + "'");
            }
        } catch (CommandLine.UsageException e) {
            err.println("flink-sip: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (Exception e) {
            err.println("flink-sip: " + command + " failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    static PolicyTrainingDemo.Options demoOptions(List<String> args) {
        CommandLine cl = new CommandLine(args, Set.of("steps", "batch", "seq-len", "vocab", "docs", "lr", "seed",
                "work"));
        PolicyTrainingDemo.Options d = PolicyTrainingDemo.Options.defaults();
        return new PolicyTrainingDemo.Options(cl.getInt("steps", d.steps(), 1), cl.getInt("batch", d.batchSize(), 1),
                cl.getInt("seq-len", d.sequenceLength(), 8), cl.getInt("vocab", d.vocabSize(), 512),
                cl.getInt("docs", d.documents(), 10), cl.getLong("seed", d.seed()), cl.getDouble("lr", d.learningRate()),
                d.logEvery(), Path.of(cl.get("work", d.workDir().toString())));
    }
}
