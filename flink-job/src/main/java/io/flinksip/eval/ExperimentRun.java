package io.flinksip.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flinksip.job.EmbeddedRun;
import io.flinksip.job.JsonLinesDir;
import io.flinksip.job.RunAccounting;
import io.flinksip.job.SipJob;
import io.flinksip.job.config.SipOptions;
import io.flinksip.judge.JudgeBackends;
import io.flinksip.judge.ReferenceBackendFactory;
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

/**
 * The headline experiment: from one initial policy and one corpus, train NTP, SIP with DPO and SIP with RF-NLL on the
 * same documents, evaluate the three on held-out prefixes, print the comparison and write report.json + report.html.
 */
public final class ExperimentRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Runs, in order: the baseline first. */
    static final List<String> RUNS = List.of("ntp", "sip-dpo", "sip-rf-nll");

    private final Configuration conf;
    private final PrintStream out;
    private final int heldOutPrefixes;
    private final int pretrainDocuments;
    private final int pretrainSteps;

    /**
     * @param pretrainDocuments documents of the initial policy's own pretraining corpus (a world with another seed
     *     over the same facts: the same world, other documents)
     * @param pretrainSteps next-token steps of 16 windows that make the initial policy
     */
    public ExperimentRun(Configuration conf, PrintStream out, int heldOutPrefixes, int pretrainDocuments,
                         int pretrainSteps) {
        this.conf = conf;
        this.out = out;
        this.heldOutPrefixes = heldOutPrefixes;
        this.pretrainDocuments = pretrainDocuments;
        this.pretrainSteps = pretrainSteps;
    }

    /** Documents for pretraining the initial policy: the same world (facts, lexicon), documents beyond the stream's. */
    private List<String> pretrainCorpus(WorldConfig world) {
        var generator = ReferenceWorld.generate(world).documents();
        List<String> texts = new ArrayList<>(pretrainDocuments);
        int offset = world.trainDocuments();
        for (int i = 0; i < pretrainDocuments; i++) {
            texts.add(generator.generate(Split.TRAIN, offset + i).text());
        }
        return texts;
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
        Path work = Path.of(conf.get(SipOptions.WORK_DIR)).toAbsolutePath().resolve("experiment");
        Files.createDirectories(work);
        WorldConfig worldConfig = EmbeddedRun.worldConfig(conf);
        CorpusWriter.WrittenCorpus corpus = CorpusWriter.write(ReferenceWorld.generate(worldConfig),
                work.resolve("world"));
        Path train = work.resolve("world").resolve(CorpusWriter.documentsFile(Split.TRAIN));
        Path heldOut = work.resolve("world").resolve(CorpusWriter.documentsFile(Split.HELD_OUT));
        out.printf("experiment  %d training / %d held-out documents; runs %s%n", corpus.trainDocuments(),
                corpus.heldOutDocuments(), RUNS);
        Path tokenizerFile = work.resolve("tokenizer.json");
        List<String> pretrainTexts = pretrainCorpus(worldConfig);
        ByteLevelBpeTokenizer trained = new ByteLevelBpeTrainer(2048).train(pretrainTexts);
        trained.save(tokenizerFile);
        TextTokenizer tokenizer = Tokenizers.load(tokenizerFile, TokenizerBackend.PURE_JAVA);
        int length = conf.get(SipOptions.MAX_PREFIX_TOKENS) + conf.get(SipOptions.SUFFIX_TOKENS);
        Path initial = Pretraining.run(pretrainTexts, tokenizer, SipJob.modelConfig(conf, Files.readString(tokenizerFile)),
                pretrainSteps, 16, length, 3e-3, conf.get(SipOptions.SEED), work.resolve("initial-policy"),
                tokenizerFile, out);

        Map<String, Path> exports = new LinkedHashMap<>();
        Map<String, List<JsonNode>> updates = new LinkedHashMap<>();
        Map<String, RunAccounting> accounting = new LinkedHashMap<>();
        for (String name : RUNS) {
            out.printf("%n=== %s ===%n", name);
            Configuration c = new Configuration(conf);
            c.set(SipOptions.MODE, name.equals("ntp") ? SipOptions.Mode.NTP : SipOptions.Mode.SIP);
            c.set(SipOptions.OBJECTIVE, name.equals("sip-rf-nll") ? SipOptions.SipObjective.RF_NLL
                    : SipOptions.SipObjective.DPO);
            c.set(SipOptions.WORK_DIR, work.resolve(name).toString());
            c.set(SipOptions.INPUT_PATH, train.toString());
            c.set(SipOptions.TOKENIZER_PATH, tokenizerFile.toString());
            c.set(SipOptions.INIT_CHECKPOINT, initial.toString());
            EmbeddedRun.Result r = new EmbeddedRun(c, out, new ByteArrayInputStream(new byte[0])).run(null);
            if (r.exitCode() != 0) {
                throw new IllegalStateException(name + " ended " + r.status() + (r.accounting() == null ? ""
                        : ": " + String.join("; ", r.accounting().describe(true))));
            }
            accounting.put(name, r.accounting());
            exports.put(name, latestExport(r.exportDir()));
            updates.put(name, readUpdates(r.outputDir().resolve("policy-updates")));
        }

        out.printf("%n=== evaluation on held-out prefixes ===%n");
        List<EvalPrefix> prefixes = EvalPrefixes.fromJsonl(heldOut, tokenizer, SipJob.segmentConfig(conf),
                heldOutPrefixes);
        JudgeBackends judges = new ReferenceBackendFactory(worldConfig).create();
        PolicyEvaluator evaluator = new PolicyEvaluator(new PolicyEvaluator.Settings(
                new SamplingConfig(conf.get(SipOptions.SUFFIX_TOKENS), 1.0, 1.0, 0, true), 7, 16, 1000), judges,
                tokenizer);
        Map<String, PolicyEvaluation> results = new LinkedHashMap<>();
        Map<String, List<String>> continuations = new LinkedHashMap<>();
        for (String name : RUNS) {
            try (LlamaModel model = PolicyLoader.load(exports.get(name))) {
                List<String> generated = evaluator.generate(model, prefixes);
                continuations.put(name, generated);
                results.put(name, evaluator.evaluate(name, model, prefixes, generated));
            }
            out.printf("evaluated   %s on %d prefixes%n", name, prefixes.size());
        }
        Map<String, Interval> winRates = new LinkedHashMap<>();
        for (String name : RUNS.subList(1, RUNS.size())) {
            winRates.put(name, evaluator.winRate(prefixes, continuations.get(name), continuations.get("ntp")));
        }
        double minutes = (System.nanoTime() - started) / 6e10;
        Map<String, Object> report = ExperimentReport.json(results, winRates, updates, prefixes.size(), minutes);
        Files.writeString(work.resolve("report.json"), JSON.writeValueAsString(report), StandardCharsets.UTF_8);
        Files.writeString(work.resolve("report.html"), ExperimentReport.html(results, winRates, updates,
                evaluator.judgeLatencies(), prefixes.size(), minutes), StandardCharsets.UTF_8);
        out.printf("%n%s%n", ExperimentReport.table(results, winRates));
        for (Map.Entry<String, RunAccounting> a : accounting.entrySet()) {
            out.printf("%-11s %s; %s%n", a.getKey(), a.getValue().describe(true).get(0),
                    a.getValue().describe(true).get(1));
        }
        out.printf("report      %s and %s (%.1f min)%n", work.resolve("report.html"), work.resolve("report.json"),
                minutes);
        return report;
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
