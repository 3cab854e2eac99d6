package io.flinksip.job.cli;

import io.flinksip.eval.EvalRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code eval}: one policy, or two compared, on held-out documents. */
@Command(name = "eval", sortOptions = false, description = "Evaluate policy A (and compare it with B) on held-out "
        + "documents: safety rate, factuality, held-out perplexity, quality win rate of A over B (both orders), "
        + "bootstrap 95%% intervals; writes eval.json and eval.html.")
final class EvalCommand extends SipSubcommand {
    @Option(names = "--a", required = true, paramLabel = "POLICY", description = "an exported checkpoint directory, "
            + "or a weight-store version weights/<namespace>/v-NNN (then with --tokenizer)")
    Path a;

    @Option(names = "--b", paramLabel = "POLICY", description = "a second policy to compare A with")
    Path b;

    @Option(names = "--heldout", required = true, paramLabel = "FILE", description = "held-out JSONL, plain or .gz")
    Path heldOut;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json (default: A's own)")
    Path tokenizer;

    @Option(names = "--prefixes", paramLabel = "N", defaultValue = "600", description = "held-out prefixes (600)")
    int prefixes;

    @Option(names = "--greedy", paramLabel = "true|false", arity = "1", defaultValue = "true",
            description = "greedy continuations, as the paper (true), or sampled")
    boolean greedy;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "work/eval", description = "where to write (work/eval)")
    Path outDir;

    @Mixin
    FlinkSettings flink;

    @Override
    public Integer call() throws Exception {
        if (prefixes < 1) {
            throw usage("--prefixes must be at least 1");
        }
        var conf = flink.configuration(spec);
        Policies.requireDirectory("--a", a);
        if (b != null) {
            Policies.requireDirectory("--b", b);
        }
        if (!java.nio.file.Files.isRegularFile(heldOut)) {
            throw new UserError("--heldout " + heldOut + ": no such file");
        }
        new EvalRun(conf, out()).run(new EvalRun.Request(a, b, heldOut, Policies.tokenizer(a, tokenizer), prefixes,
                greedy, outDir));
        return 0;
    }
}
