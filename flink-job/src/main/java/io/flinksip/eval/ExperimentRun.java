package io.flinksip.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flinksip.job.EmbeddedRun;
import io.flinksip.job.JsonLinesDir;
import io.flinksip.job.RunAccounting;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.config.StageConfigs;
import io.flinksip.model.DeterministicRng;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.SamplingConfig;
import io.flinksip.sync.SyncMode;
import io.flinksip.tokenizer.ByteLevelBpeTokenizer;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenizerBackend;
import io.flinksip.tokenizer.Tokenizers;
import io.flinksip.world.CorpusWriter;
import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.Split;
import io.flinksip.world.WorldConfig;
import org.apache.flink.configuration.Configuration;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The headline experiment, measured the paper's way: from one initial policy (Base, the continual setting's starting
 * checkpoint) and one corpus, train NTP, SIP with DPO and SIP with RF-NLL on the same documents, evaluate the four rows
 * on the same held-out prefixes with greedy decoding, and compare each trained policy with Base (the paper's reference)
 * and the SIP policies with NTP. With several seeds the whole comparison repeats with the stream in another order and
 * other rollout and split seeds, and every figure is reported as mean and spread.
 */
public final class ExperimentRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Trained runs, in order: the baseline first. */
    static final List<String> RUNS = List.of("ntp", "sip-dpo", "sip-rf-nll");
    /** The row of the initial policy. */
    static final String BASE = "base";

    /**
     * @param heldOutPrefixes held-out prefixes every row is evaluated on
     * @param pretrainDocuments documents of the initial policy's own pretraining corpus (the same world, other
     *     documents)
     * @param pretrainSteps next-token steps of 16 windows that make the initial policy
     * @param seeds repetitions of the comparison
     * @param greedy greedy decoding for evaluation (the paper's); false: sampled at T = 1
     * @param ntpLearningRate the NTP run's learning rate, or null for the SIP runs' rate
     */
    public record Options(int heldOutPrefixes, int pretrainDocuments, int pretrainSteps, int seeds, boolean greedy,
                          Double ntpLearningRate) {
        public Options {
            if (heldOutPrefixes < 1 || pretrainDocuments < 1 || pretrainSteps < 1 || seeds < 1) {
                throw new IllegalArgumentException("prefixes, pretraining documents and steps, and seeds must be "
                        + "positive");
            }
        }

        /**
         * The README's experiment. NTP's learning rate is its own, 1e-3, the lowest held-out perplexity of the sweep
         * {@code experiment --ntp-sweep 1e-4,3e-4,1e-3,3e-3} (docs/evaluation.md): the baseline gets its best rate,
         * the SIP runs keep the shared 3e-4.
         */
        public static Options defaults() {
            return new Options(600, 4000, 600, 1, true, 1e-3);
        }
    }

    /** What every run of the experiment shares: the world, the tokenizer, Base and the held-out prefixes. */
    record Setup(Path work, WorldConfig world, Path train, Path tokenizerFile, TextTokenizer tokenizer, Path initial,
                 List<EvalPrefix> prefixes) {
    }

    private final Configuration conf;
    private final PrintStream out;
    private final Options options;

    public ExperimentRun(Configuration conf, PrintStream out, Options options) {
        this.conf = conf;
        this.out = out;
        this.options = options;
    }

    /**
     * The experiment's defaults where the configuration does not set them: a corpus in which 40% of documents carry
     * unsafe spans (the paper's safety runs use a corpus filtered to unsafe documents), 3,000 stream documents, a
     * continual-training learning rate of 3e-4 (the runs start from a pretrained policy), and strict sync, so every
     * method trains on the same steps and the same command prints the same table.
     */
    public static void applyDefaults(Configuration conf) {
        if (!conf.contains(SipOptions.SYNC_MODE)) {
            conf.set(SipOptions.SYNC_MODE, SyncMode.STRICT);
        }
        if (!conf.contains(SipOptions.WORLD_UNSAFE_SHARE)) {
            conf.set(SipOptions.WORLD_UNSAFE_SHARE, 0.4);
        }
        if (!conf.contains(SipOptions.WORLD_DOCUMENTS)) {
            conf.set(SipOptions.WORLD_DOCUMENTS, 3000);
        }
        if (!conf.contains(SipOptions.LEARNING_RATE)) {
            conf.set(SipOptions.LEARNING_RATE, 3e-4);
        }
    }

    /** Runs everything; returns the report's JSON tree. */
    public Map<String, Object> run() throws Exception {
        long started = System.nanoTime();
        Setup setup = prepare();
        PolicyEvaluator evaluator = evaluator(setup);
        Map<String, List<String>> baseContinuations = new LinkedHashMap<>();
        PolicyEvaluation base = evaluate(evaluator, setup, BASE, setup.initial(), baseContinuations);

        List<SeedResult> results = new ArrayList<>();
        for (int k = 1; k <= options.seeds(); k++) {
            long seed = conf.get(SipOptions.SEED) + k - 1;
            out.printf("%n##### seed %d of %d (stream order and rollout seed %d) #####%n", k, options.seeds(), seed);
            Path stream = k == 1 ? setup.train() : shuffled(setup.train(), setup.work().resolve("seed-" + k)
                    .resolve("stream.jsonl.gz"), seed);
            Map<String, PolicyEvaluation> evaluations = new LinkedHashMap<>();
            evaluations.put(BASE, base);
            Map<String, List<String>> continuations = new LinkedHashMap<>(baseContinuations);
            Map<String, List<JsonNode>> updates = new LinkedHashMap<>();
            Map<String, RunAccounting> accounting = new LinkedHashMap<>();
            for (String name : RUNS) {
                EmbeddedRun.Result r = train(setup, name, seed, stream, setup.work().resolve("seed-" + k)
                        .resolve(name));
                updates.put(name, readUpdates(r.outputDir().resolve("policy-updates")));
                accounting.put(name, r.accounting());
                evaluations.put(name, evaluate(evaluator, setup, name, latestExport(r.exportDir()), continuations));
            }
            Map<String, PolicyComparison> againstBase = new LinkedHashMap<>();
            Map<String, PolicyComparison> againstNtp = new LinkedHashMap<>();
            for (String name : RUNS) {
                againstBase.put(name, compare(evaluator, setup, evaluations, continuations, name, BASE));
                if (!name.equals("ntp")) {
                    againstNtp.put(name, compare(evaluator, setup, evaluations, continuations, name, "ntp"));
                }
            }
            results.add(new SeedResult(seed, evaluations, againstBase, againstNtp, updates, accounting));
        }

        double minutes = (System.nanoTime() - started) / 6e10;
        ExperimentReport report = new ExperimentReport(results, setup.prefixes().size(), evaluator.settings().greedy(),
                minutes);
        Map<String, Object> json = report.json();
        Map<String, Object> rates = new LinkedHashMap<>();
        rates.put("ntp", ntpLearningRate());
        rates.put("sip", conf.get(SipOptions.LEARNING_RATE));
        json.put("learningRates", rates);
        json.put("syncMode", conf.get(SipOptions.SYNC_MODE).name());
        Files.writeString(setup.work().resolve("report.json"), JSON.writeValueAsString(json), StandardCharsets.UTF_8);
        Files.writeString(setup.work().resolve("report.html"), report.html(evaluator.judgeLatencies()),
                StandardCharsets.UTF_8);
        out.printf("%nlearning rate: ntp %s, sip %s; sync mode %s%n%s", ntpLearningRate(),
                conf.get(SipOptions.LEARNING_RATE), conf.get(SipOptions.SYNC_MODE), report.console());
        out.printf("report      %s and %s (%.1f min)%n", setup.work().resolve("report.html"),
                setup.work().resolve("report.json"), minutes);
        return json;
    }

    /**
     * A small learning-rate sweep of the NTP baseline alone (seed 1's stream), printed with held-out perplexity,
     * safety and factuality, so a reader can check that NTP's row is a fair baseline.
     */
    public Map<String, Object> ntpSweep(List<Double> learningRates) throws Exception {
        Setup setup = prepare();
        PolicyEvaluator evaluator = evaluator(setup);
        Map<String, List<String>> continuations = new LinkedHashMap<>();
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> runs = new LinkedHashMap<>();
        String best = null;
        double bestPerplexity = Double.POSITIVE_INFINITY;
        String row = "%-12s %-26s %-26s %-26s %-26s %-26s%n";
        StringBuilder table = new StringBuilder(String.format(row, "ntp lr", "perplexity", "safety", "factuality",
                "factuality (oracle)", "claims/cont."));
        PolicyEvaluation base = evaluate(evaluator, setup, BASE, setup.initial(), continuations);
        table.append(String.format(row, BASE, base.perplexity(), base.safetyRate(), base.factuality(),
                base.oracleFactuality(), base.claims()));
        for (double lr : learningRates) {
            String name = "ntp-lr-" + lr;
            Configuration c = new Configuration(conf);
            c.set(SipOptions.LEARNING_RATE, lr);
            EmbeddedRun.Result r = train(setup, c, "ntp", conf.get(SipOptions.SEED), setup.train(),
                    setup.work().resolve("ntp-sweep").resolve(name));
            PolicyEvaluation e = evaluate(evaluator, setup, name, latestExport(r.exportDir()), continuations);
            runs.put(Double.toString(lr), ExperimentReport.json(e));
            table.append(String.format(row, lr, e.perplexity(), e.safetyRate(), e.factuality(),
                    e.oracleFactuality(), e.claims()));
            if (e.perplexity().value() < bestPerplexity) {
                bestPerplexity = e.perplexity().value();
                best = Double.toString(lr);
            }
        }
        json.put("base", ExperimentReport.json(base));
        json.put("ntp", runs);
        json.put("lowestPerplexityAt", best);
        Files.writeString(setup.work().resolve("ntp-sweep.json"), JSON.writeValueAsString(json),
                StandardCharsets.UTF_8);
        out.printf("%n%slowest held-out perplexity at lr %s; written to %s%n", table, best,
                setup.work().resolve("ntp-sweep.json"));
        return json;
    }

    private Setup prepare() throws Exception {
        Path work = Path.of(conf.get(SipOptions.WORK_DIR)).toAbsolutePath().resolve("experiment");
        Files.createDirectories(work);
        WorldConfig world = StageConfigs.fromConfiguration(conf).world();
        CorpusWriter.WrittenCorpus corpus = CorpusWriter.write(ReferenceWorld.generate(world), work.resolve("world"));
        Path train = work.resolve("world").resolve(CorpusWriter.documentsFile(Split.TRAIN));
        Path heldOut = work.resolve("world").resolve(CorpusWriter.documentsFile(Split.HELD_OUT));
        out.printf("experiment  %d training / %d held-out documents; rows %s + %s; %d seed(s); %s decoding%n",
                corpus.trainDocuments(), corpus.heldOutDocuments(), BASE, RUNS, options.seeds(),
                options.greedy() ? "greedy" : "sampled (T = 1)");
        Path tokenizerFile = work.resolve("tokenizer.json");
        List<String> pretrainTexts = pretrainCorpus(world);
        ByteLevelBpeTokenizer trained = new ByteLevelBpeTrainer(2048).train(pretrainTexts);
        trained.save(tokenizerFile);
        TextTokenizer tokenizer = Tokenizers.load(tokenizerFile, TokenizerBackend.PURE_JAVA);
        int length = conf.get(SipOptions.MAX_PREFIX_TOKENS) + conf.get(SipOptions.SUFFIX_TOKENS);
        Path initial = Pretraining.run(pretrainTexts, tokenizer, StageConfigs.fromConfiguration(conf).model(
                        Files.readString(tokenizerFile)), options.pretrainSteps(), 16, length, 3e-3,
                conf.get(SipOptions.SEED), work.resolve("initial-policy"), tokenizerFile, out);
        List<EvalPrefix> prefixes = EvalPrefixes.fromJsonl(heldOut, tokenizer,
                StageConfigs.fromConfiguration(conf).segment(),
                options.heldOutPrefixes());
        return new Setup(work, world, train, tokenizerFile, tokenizer, initial, prefixes);
    }

    /** Documents for pretraining the initial policy: the same world (facts, lexicon), documents beyond the stream's. */
    private List<String> pretrainCorpus(WorldConfig world) {
        var generator = ReferenceWorld.generate(world).documents();
        List<String> texts = new ArrayList<>(options.pretrainDocuments());
        int offset = world.trainDocuments();
        for (int i = 0; i < options.pretrainDocuments(); i++) {
            texts.add(generator.generate(Split.TRAIN, offset + i).text());
        }
        return texts;
    }

    private PolicyEvaluator evaluator(Setup setup) {
        int n = conf.get(SipOptions.SUFFIX_TOKENS);
        SamplingConfig decoding = options.greedy() ? SamplingConfig.greedy(n) : SamplingConfig.ancestral(n);
        return new PolicyEvaluator(new PolicyEvaluator.Settings(decoding, 7, 16, 1000), EvalJudges.of(conf),
                setup.tokenizer());
    }

    private double ntpLearningRate() {
        return options.ntpLearningRate() != null ? options.ntpLearningRate() : conf.get(SipOptions.LEARNING_RATE);
    }

    private EmbeddedRun.Result train(Setup setup, String name, long seed, Path stream, Path workDir) throws Exception {
        Configuration c = new Configuration(conf);
        if (name.equals("ntp")) {
            c.set(SipOptions.LEARNING_RATE, ntpLearningRate());
        }
        return train(setup, c, name, seed, stream, workDir);
    }

    private EmbeddedRun.Result train(Setup setup, Configuration base, String name, long seed, Path stream,
                                     Path workDir) throws Exception {
        out.printf("%n=== %s ===%n", workDir.getFileName());
        Configuration c = new Configuration(base);
        c.set(SipOptions.MODE, name.equals("ntp") ? SipOptions.Mode.NTP : SipOptions.Mode.SIP);
        c.set(SipOptions.OBJECTIVE, name.equals("sip-rf-nll") ? SipOptions.SipObjective.RF_NLL
                : SipOptions.SipObjective.DPO);
        c.set(SipOptions.WORK_DIR, workDir.toString());
        c.set(SipOptions.INPUT_PATH, stream.toString());
        c.set(SipOptions.TOKENIZER_PATH, setup.tokenizerFile().toString());
        c.set(SipOptions.INIT_CHECKPOINT, setup.initial().toString());
        c.set(SipOptions.SEED, seed);
        // Judges of every repetition are the corpus's world's: only the stream order and the job's seed change.
        c.set(SipOptions.WORLD_SEED, setup.world().seed());
        EmbeddedRun.Result r = new EmbeddedRun(c, out, new ByteArrayInputStream(new byte[0])).run(null);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(name + " ended " + r.status() + (r.accounting() == null ? ""
                    : ": " + String.join("; ", r.accounting().describe(true))));
        }
        return r;
    }

    private PolicyEvaluation evaluate(PolicyEvaluator evaluator, Setup setup, String name, Path policy,
                                      Map<String, List<String>> continuations) throws IOException {
        try (LlamaModel model = PolicyLoader.load(policy)) {
            List<String> generated = evaluator.generate(model, setup.prefixes());
            continuations.put(name, generated);
            PolicyEvaluation e = evaluator.evaluate(name, model, setup.prefixes(), generated);
            out.printf("evaluated   %s on %d prefixes%n", name, setup.prefixes().size());
            return e;
        }
    }

    private static PolicyComparison compare(PolicyEvaluator evaluator, Setup setup,
                                            Map<String, PolicyEvaluation> evaluations,
                                            Map<String, List<String>> continuations, String name, String reference) {
        return PolicyComparison.of(evaluations.get(name), evaluations.get(reference),
                evaluator.winRate(setup.prefixes(), continuations.get(name), continuations.get(reference)),
                evaluator.coherenceWinRate(continuations.get(name), continuations.get(reference)));
    }

    /** The stream in another order: the documents of {@code train}, shuffled by {@code seed}, gzipped. */
    static Path shuffled(Path train, Path target, long seed) throws IOException {
        List<String> lines;
        try (var in = new GZIPInputStream(Files.newInputStream(train))) {
            lines = new ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        }
        lines.removeIf(String::isBlank);
        DeterministicRng rng = new DeterministicRng(seed);
        for (int i = lines.size() - 1; i > 0; i--) {
            int j = (int) Long.remainderUnsigned(rng.nextLong(), i + 1);
            String t = lines.get(i);
            lines.set(i, lines.get(j));
            lines.set(j, t);
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return target;
    }

    private static Path latestExport(Path exportDir) throws IOException {
        try (Stream<Path> s = Files.list(exportDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("step-")).max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IOException("no export in " + exportDir));
        }
    }

    static List<JsonNode> readUpdates(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>(JsonLinesDir.read(dir));
        out.sort(Comparator.comparingLong(u -> u.get("step").asLong()));
        return out;
    }
}
