package io.flinksip.job;

import io.flinksip.job.config.SipOptions;
import io.flinksip.job.demo.PolicyTrainingDemo;
import org.apache.flink.configuration.Configuration;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code flink-sip} command line. */
public final class FlinkSipCli {
    static final String USAGE = """
            usage: flink-sip <command> [options]

            commands:
              run     run the self-improving pretraining job in a local Flink MiniCluster (the default command). With no
                      --input it generates the reference world's corpus and uses the built-in reference judges.
                      --mode sip|ntp (sip)  --objective dpo|rf_nll (dpo)  --input PATH (JSONL file or directory)
                      --docs N (world documents, 2000)  --work DIR (work)
                      --resume SAVEPOINT_OR_CHECKPOINT | latest (the newest retained checkpoint or savepoint of --work)
                      -Dkey=value for any option in docs/options.md or any Flink option
                      While it runs, type 's' + Enter (or send SIGTERM / Ctrl-C) to take a savepoint and stop.
                      Ends with where every input went (also in <output>/summary.json); exits non-zero when the
                      job failed, trained nothing, or an input is not accounted for.
              eval    evaluate policy A (and compare it with B) on held-out documents: safety rate, factuality,
                      held-out perplexity, quality win rate of A over B (both orders), bootstrap 95% intervals;
                      writes eval.json and eval.html
                      --a PATH --b PATH (exported checkpoint directories or weights/<ns>/v-NNN)
                      --heldout FILE (JSONL, plain or .gz)  --tokenizer FILE (default: A's tokenizer.json)
                      --prefixes N (600)  --greedy true|false (true)  --out DIR (work/eval)  -Dkey=value (judges)
              generate  continue prompts with a policy: --model DIR (an exported checkpoint, or weights/<ns>/v-NNN
                      with --tokenizer FILE)  --prompt TEXT, or --input FILE (one prompt per line, or JSON lines with
                      "prompt" or "text"; prints JSON lines)  --max-tokens N (64)  --decoding greedy|sampled (greedy)
                      --temperature T (1.0)  --top-p P (1.0)  --seed N (42)
              experiment  from one pretrained initial policy (Base), train ntp, sip (DPO) and sip (RF-NLL) on the same
                      generated stream in strict mode, evaluate the four rows on held-out prefixes (the paper's metrics:
                      safety, factuality with the suffix as reference and against the fact table, claims made,
                      repetition, perplexity; win rates and relative gains against Base and NTP), print the comparison
                      and write work/experiment/report.{html,json}
                      --docs N (training documents, 3000)  --prefixes N (held-out prefixes, 600)  --work DIR
                      --seeds N (1): repeat with other stream orders and rollout seeds, report mean and spread
                      --decoding greedy|sampled (greedy, as the paper)  --ntp-lr X (NTP's own learning rate, 1e-3)
                      --ntp-sweep X,Y,...: instead, train NTP alone at each rate and report held-out perplexity
                      --pretrain-docs N (4000) --pretrain-steps N (600): the shared initial policy's pretraining
                      -Dkey=value as for run
              demo    train the tiny policy on a generated corpus with next-token pretraining, print progress,
                      and write a Hugging Face checkpoint and the learner state
                      --steps N (200)  --batch N (16)  --seq-len N (128)  --vocab N (2048, 512..4096)
                      --docs N (3000)  --lr X (3e-3)  --seed N (42)  --work DIR (work/demo)
              submit  build the job from sip.* options and run it where the Flink client points (flink run,
                      the Kubernetes operator); needs sip.input.path or sip.kafka.*, sip.tokenizer.path and
                      sip.weights.dir; -Dkey=value
              produce load JSONL (plain or .gz) into a Kafka topic as Avro Documents (key = id)
                      --bootstrap HOST:PORT  --topic T  --input FILE
              tail    print the PolicyUpdates of a topic (committed records only)
                      --bootstrap HOST:PORT  --topic T  --limit N  --seconds N (3600)
              judge-server  serve the built-in reference judges and rewriter over the OpenAI chat-completions
                      protocol on loopback, to try the OPENAI backend without an LLM server
                      --port N (8089)  --seed N (42, the world's seed)
              bench   benchmarks (run by the launcher from the bench module): policy (training, sampling, state
                      serialisation), judge (client throughput), job [documents] [--sync latest|strict|both] (the job
                      against the same stages in a plain loop, and strict against latest sync)
              account where every input of a job went: --output DIR (the job's sip.output.path) and, for file
                      input, --input PATH (its sip.input.path); exits 0 only when every input line is trained,
                      dead-lettered or blank, each exactly once (run it once the job has caught up)
              options print the configuration options as Markdown (docs/options.md)
              help    print this text
            """;

    private FlinkSipCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "run" : args[0];
        List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        try {
            switch (command) {
                case "run" -> {
                    RunRequest request = runRequest(rest);
                    EmbeddedRun.Result r = new EmbeddedRun(request.conf(), out, System.in).run(request.resume());
                    return r.exitCode();
                }
                case "demo" -> {
                    PolicyTrainingDemo.Result r = new PolicyTrainingDemo(demoOptions(rest), out).run();
                    return r.finalHeldOutLoss() < r.initialHeldOutLoss() ? 0 : 1;
                }
                case "eval" -> {
                    Configuration conf = new Configuration();
                    CommandLine cl = new CommandLine(dynamicProperties(rest, conf), Set.of("a", "b", "heldout",
                            "tokenizer", "prefixes",
                            "greedy", "out"));
                    if (cl.get("a", null) == null || cl.get("heldout", null) == null) {
                        throw new CommandLine.UsageException("eval needs --a POLICY and --heldout FILE");
                    }
                    java.nio.file.Path a = java.nio.file.Path.of(cl.get("a", null));
                    String tokenizer = cl.get("tokenizer", a.resolve("tokenizer.json").toString());
                    new io.flinksip.eval.EvalRun(conf, out).run(new io.flinksip.eval.EvalRun.Request(a,
                            cl.get("b", null) == null ? null : java.nio.file.Path.of(cl.get("b", null)),
                            java.nio.file.Path.of(cl.get("heldout", null)), java.nio.file.Path.of(tokenizer),
                            cl.getInt("prefixes", 600, 1), Boolean.parseBoolean(cl.get("greedy", "true")),
                            java.nio.file.Path.of(cl.get("out", "work/eval"))));
                    return 0;
                }
                case "generate" -> {
                    CommandLine cl = new CommandLine(rest, Set.of("model", "tokenizer", "prompt", "input",
                            "max-tokens", "decoding", "temperature", "top-p", "seed"));
                    if (cl.get("model", null) == null || (cl.get("prompt", null) == null) == (cl.get("input", null)
                            == null)) {
                        throw new CommandLine.UsageException("generate needs --model DIR and either --prompt TEXT or "
                                + "--input FILE");
                    }
                    Path model = Path.of(cl.get("model", null));
                    int maxTokens = cl.getInt("max-tokens", 64, 1);
                    String decoding = cl.get("decoding", "greedy");
                    io.flinksip.model.SamplingConfig sampling = switch (decoding) {
                        case "greedy" -> io.flinksip.model.SamplingConfig.greedy(maxTokens);
                        case "sampled" -> new io.flinksip.model.SamplingConfig(maxTokens,
                                cl.getDouble("temperature", 1.0), cl.getDouble("top-p", 1.0), 0, true);
                        default -> throw new CommandLine.UsageException("--decoding must be greedy or sampled, not "
                                + decoding);
                    };
                    if (decoding.equals("greedy") && (cl.get("temperature", null) != null
                            || cl.get("top-p", null) != null)) {
                        throw new CommandLine.UsageException("--temperature and --top-p apply to --decoding sampled");
                    }
                    new io.flinksip.eval.GenerateRun(out).run(new io.flinksip.eval.GenerateRun.Request(model,
                            Path.of(cl.get("tokenizer", model.resolve("tokenizer.json").toString())),
                            cl.get("prompt", null), cl.get("input", null) == null ? null : Path.of(cl.get("input", null)),
                            sampling, cl.getLong("seed", 42L)));
                    return 0;
                }
                case "experiment" -> {
                    Map<String, List<String>> flags = new java.util.HashMap<>();
                    List<String> remaining = rest;
                    for (String flag : List.of("prefixes", "pretrain-docs", "pretrain-steps", "seeds", "decoding",
                            "ntp-lr", "ntp-sweep")) {
                        List<String> values = new java.util.ArrayList<>();
                        remaining = withoutFlag(remaining, flag, values);
                        flags.put(flag, values);
                    }
                    RunRequest request = runRequest(remaining);
                    io.flinksip.eval.ExperimentRun.applyDefaults(request.conf());
                    var defaults = io.flinksip.eval.ExperimentRun.Options.defaults();
                    String decoding = last(flags.get("decoding"), "greedy");
                    if (!decoding.equals("greedy") && !decoding.equals("sampled")) {
                        throw new CommandLine.UsageException("--decoding must be greedy or sampled, not " + decoding);
                    }
                    var options = new io.flinksip.eval.ExperimentRun.Options(
                            parsePositive("prefixes", last(flags.get("prefixes"), "" + defaults.heldOutPrefixes())),
                            parsePositive("pretrain-docs", last(flags.get("pretrain-docs"),
                                    "" + defaults.pretrainDocuments())),
                            parsePositive("pretrain-steps", last(flags.get("pretrain-steps"),
                                    "" + defaults.pretrainSteps())),
                            parsePositive("seeds", last(flags.get("seeds"), "1")), decoding.equals("greedy"),
                            flags.get("ntp-lr").isEmpty() ? defaults.ntpLearningRate()
                                    : parseRate("ntp-lr", last(flags.get("ntp-lr"), "")));
                    var experiment = new io.flinksip.eval.ExperimentRun(request.conf(), out, options);
                    if (!flags.get("ntp-sweep").isEmpty()) {
                        List<Double> rates = new java.util.ArrayList<>();
                        for (String r : last(flags.get("ntp-sweep"), "").split(",")) {
                            rates.add(parseRate("ntp-sweep", r.trim()));
                        }
                        experiment.ntpSweep(rates);
                    } else {
                        experiment.run();
                    }
                    return 0;
                }
                case "submit" -> {
                    Configuration conf = new Configuration();
                    List<String> flags = dynamicProperties(rest, conf);
                    if (!flags.isEmpty()) {
                        throw new CommandLine.UsageException("submit takes -Dkey=value options only, got " + flags);
                    }
                    ClusterSubmission.submit(conf);
                    return 0;
                }
                case "produce" -> {
                    CommandLine cl = new CommandLine(rest, Set.of("bootstrap", "topic", "input"));
                    if (cl.get("bootstrap", null) == null || cl.get("topic", null) == null
                            || cl.get("input", null) == null) {
                        throw new CommandLine.UsageException("produce needs --bootstrap, --topic and --input");
                    }
                    io.flinksip.job.kafka.KafkaTools.produce(cl.get("bootstrap", null), cl.get("topic", null),
                            java.nio.file.Path.of(cl.get("input", null)), new java.util.Properties(), out);
                    return 0;
                }
                case "tail" -> {
                    CommandLine cl = new CommandLine(rest, Set.of("bootstrap", "topic", "limit", "seconds"));
                    if (cl.get("bootstrap", null) == null || cl.get("topic", null) == null) {
                        throw new CommandLine.UsageException("tail needs --bootstrap and --topic");
                    }
                    io.flinksip.job.kafka.KafkaTools.tail(cl.get("bootstrap", null), cl.get("topic", null),
                            new java.util.Properties(), cl.getInt("limit", Integer.MAX_VALUE, 1),
                            java.time.Duration.ofSeconds(cl.getInt("seconds", 3600, 1)), out);
                    return 0;
                }
                case "judge-server" -> {
                    CommandLine cl = new CommandLine(rest, Set.of("port", "seed"));
                    int port = cl.getInt("port", 8089, 0);
                    var world = io.flinksip.world.WorldConfig.defaults().withSeed(cl.getLong("seed", 42));
                    try (var server = new io.flinksip.judge.server.ReferenceJudgeServer(port,
                            new io.flinksip.judge.ReferenceBackendFactory(world).create(),
                            io.flinksip.judge.server.FaultPlan.none(), null)) {
                        out.printf("reference judges on %s (OpenAI chat-completions protocol, loopback only); "
                                + "Ctrl-C stops%n", server.baseUrl());
                        Thread.currentThread().join();
                    }
                    return 0;
                }
                case "account" -> {
                    CommandLine cl = new CommandLine(rest, Set.of("input", "output", "max-line-bytes"));
                    if (cl.get("output", null) == null) {
                        throw new CommandLine.UsageException("account needs --output DIR (and --input PATH for files)");
                    }
                    InputCensus census = cl.get("input", null) == null ? null : InputCensus.of(Path.of(
                            cl.get("input", null)), cl.getInt("max-line-bytes", 4 << 20, 16)).orElse(null);
                    RunAccounting a = RunAccounting.of(census, Path.of(cl.get("output", null)));
                    boolean holds = a.holdsForFinishedRun() && a.duplicates() == 0;
                    for (String line : a.describe(true)) {
                        out.println(line);
                    }
                    return holds ? 0 : 3;
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

    /** A parsed {@code run} command. */
    record RunRequest(Configuration conf, String resume) {
    }

    /** Moves every {@code -Dkey=value} argument into {@code conf}; returns the other arguments. */
    static List<String> dynamicProperties(List<String> args, Configuration conf) {
        List<String> flags = new java.util.ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-D")) {
                int eq = a.indexOf('=');
                if (eq < 3) {
                    throw new CommandLine.UsageException("expected -Dkey=value, got '" + a + "'");
                }
                conf.setString(a.substring(2, eq), a.substring(eq + 1));
            } else {
                flags.add(a);
            }
        }
        return flags;
    }

    static RunRequest runRequest(List<String> args) {
        Configuration conf = new Configuration();
        List<String> flags = dynamicProperties(args, conf);
        CommandLine cl = new CommandLine(flags, Set.of("mode", "objective", "input", "docs", "work", "resume"));
        String mode = cl.get("mode", null);
        if (mode != null) {
            conf.set(SipOptions.MODE, parseEnum(SipOptions.Mode.class, "mode", mode));
        }
        String objective = cl.get("objective", null);
        if (objective != null) {
            conf.set(SipOptions.OBJECTIVE, parseEnum(SipOptions.SipObjective.class, "objective",
                    objective.replace('-', '_')));
        }
        if (cl.get("input", null) != null) {
            conf.set(SipOptions.INPUT_PATH, cl.get("input", null));
        }
        if (cl.get("work", null) != null) {
            conf.set(SipOptions.WORK_DIR, cl.get("work", null));
        }
        if (cl.get("docs", null) != null) {
            conf.set(SipOptions.WORLD_DOCUMENTS, cl.getInt("docs", 0, 10));
        }
        return new RunRequest(conf, cl.get("resume", null));
    }

    /** Removes {@code --name value} from the arguments, collecting the value. */
    private static List<String> withoutFlag(List<String> args, String name, List<String> values) {
        List<String> rest = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--" + name) && i + 1 < args.size()) {
                values.add(args.get(++i));
            } else {
                rest.add(args.get(i));
            }
        }
        return rest;
    }

    private static String last(List<String> values, String fallback) {
        return values.isEmpty() ? fallback : values.get(values.size() - 1);
    }

    private static double parseRate(String flag, String value) {
        try {
            double x = Double.parseDouble(value);
            if (x > 0 && x < 1) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.UsageException("--" + flag + " needs learning rates between 0 and 1, got '" + value
                + "'");
    }

    private static int parsePositive(String flag, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new CommandLine.UsageException("--" + flag + " expects a positive integer, got '" + value + "'");
        }
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String flag, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException("--" + flag + " must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(java.util.Locale.ROOT));
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
