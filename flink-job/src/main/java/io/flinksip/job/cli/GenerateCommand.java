package io.flinksip.job.cli;

import io.flinksip.eval.GenerateRun;
import io.flinksip.model.SamplingConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code generate}: read what a policy writes. */
@Command(name = "generate", sortOptions = false, description = "Continue prompts with a policy: an exported "
        + "checkpoint, or a weight-store version with --tokenizer. One --prompt prints its continuation; --input prints "
        + "JSON lines {\"prompt\", \"continuation\"}.")
final class GenerateCommand extends SipSubcommand {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "an exported checkpoint directory, "
            + "or weights/<namespace>/v-NNN")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json (default: the model's own)")
    Path tokenizer;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompts prompts;

    static final class Prompts {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "one prompt")
        String prompt;

        @Option(names = "--input", paramLabel = "FILE", description = "one prompt per line, or JSON lines with "
                + "\"prompt\" or \"text\"")
        Path input;
    }

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "64", description = "tokens per continuation (64)")
    int maxTokens;

    @Option(names = "--decoding", paramLabel = "greedy|sampled", defaultValue = "greedy",
            description = "greedy (default) or sampled")
    String decoding;

    @Option(names = "--temperature", paramLabel = "T", description = "sampling temperature (1.0; sampled only)")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "nucleus mass (1.0; sampled only)")
    Double topP;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "sampling seed (42)")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (maxTokens < 1) {
            throw usage("--max-tokens must be at least 1");
        }
        SamplingConfig sampling = switch (decoding) {
            case "greedy" -> {
                if (temperature != null || topP != null) {
                    throw usage("--temperature and --top-p apply to --decoding sampled");
                }
                yield SamplingConfig.greedy(maxTokens);
            }
            case "sampled" -> {
                double t = temperature == null ? 1.0 : temperature;
                double p = topP == null ? 1.0 : topP;
                if (!(t > 0) || !(p > 0 && p <= 1)) {
                    throw usage("--temperature must be positive and --top-p in (0, 1]");
                }
                yield new SamplingConfig(maxTokens, t, p, 0, true);
            }
            default -> throw usage("--decoding must be greedy or sampled, not " + decoding);
        };
        Policies.requireDirectory("--model", model);
        if (prompts.input != null && !Files.isRegularFile(prompts.input)) {
            throw new UserError("--input " + prompts.input + ": no such file");
        }
        new GenerateRun(out()).run(new GenerateRun.Request(model, Policies.tokenizer(model, tokenizer),
                prompts.prompt, prompts.input, sampling, seed));
        return 0;
    }
}
