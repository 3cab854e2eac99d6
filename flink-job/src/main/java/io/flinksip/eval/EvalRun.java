package io.flinksip.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flinksip.job.Charts;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.config.StageConfigs;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.SamplingConfig;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenizerBackend;
import io.flinksip.tokenizer.Tokenizers;
import org.apache.flink.configuration.Configuration;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code eval} command: one or two policies (exported checkpoints or weight-store versions) on held-out
 * prefixes, judged by the configured panel (reference or OpenAI-compatible endpoints); writes eval.json and
 * eval.html.
 */
public final class EvalRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param a the policy evaluated (required)
     * @param b the policy compared against, or null
     * @param heldOut JSONL (plain or .gz) of held-out documents, cut into prefixes as the job cuts them
     * @param tokenizer tokenizer.json of the policies
     * @param greedy greedy decoding (the paper's) instead of sampling at T = 1
     */
    public record Request(Path a, Path b, Path heldOut, Path tokenizer, int prefixes, boolean greedy, Path out) {
    }

    private final Configuration conf;
    private final PrintStream out;

    public EvalRun(Configuration conf, PrintStream out) {
        this.conf = conf;
        this.out = out;
    }

    public Map<String, Object> run(Request r) throws Exception {
        long started = System.nanoTime();
        TextTokenizer tokenizer = Tokenizers.load(r.tokenizer(), TokenizerBackend.AUTO);
        List<EvalPrefix> prefixes = EvalPrefixes.fromJsonl(r.heldOut(), tokenizer,
                StageConfigs.fromConfiguration(conf).segment(),
                r.prefixes());
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("no held-out prefixes could be cut from " + r.heldOut());
        }
        EvalJudges judges = EvalJudges.of(conf);
        int n = conf.get(SipOptions.SUFFIX_TOKENS);
        SamplingConfig sampling = r.greedy() ? SamplingConfig.greedy(n) : SamplingConfig.ancestral(n);
        PolicyEvaluator evaluator = new PolicyEvaluator(new PolicyEvaluator.Settings(sampling,
                conf.get(SipOptions.SEED), 16, 1000), judges, tokenizer).reportingProgressTo(out);
        Map<String, PolicyEvaluation> results = new LinkedHashMap<>();
        Map<String, List<String>> continuations = new LinkedHashMap<>();
        for (Path policy : r.b() == null ? List.of(r.a()) : List.of(r.a(), r.b())) {
            String name = policy.equals(r.a()) ? "A" : "B";
            try (LlamaModel model = PolicyLoader.load(policy)) {
                out.printf("policy %s: %s%n", name, policy);
                List<String> generated = evaluator.generate(model, prefixes);
                continuations.put(name, generated);
                results.put(name, evaluator.evaluate(name + " (" + policy.getFileName() + ")", model, prefixes,
                        generated));
            }
        }
        Interval win = r.b() == null ? null : evaluator.winRate(prefixes, continuations.get("A"),
                continuations.get("B"));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("prefixes", prefixes.size());
        report.put("decoding", r.greedy() ? "greedy" : "sampled, T = 1");
        Map<String, Object> policies = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        results.forEach((key, e) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", e.name());
            p.putAll(ExperimentReport.json(e));
            policies.put(key, p);
            List<String> row = new ArrayList<>();
            row.add(e.name());
            row.addAll(ExperimentReport.metricCells(e));
            rows.add(row);
        });
        report.put("policies", policies);
        List<String> header = new ArrayList<>();
        header.add("policy");
        header.addAll(ExperimentReport.metricLabels());
        if (win != null) {
            report.put("qualityWinRateAOverB", HtmlReport.json(win));
        }
        Files.createDirectories(r.out());
        Files.writeString(r.out().resolve("eval.json"), JSON.writeValueAsString(report), StandardCharsets.UTF_8);
        HtmlReport html = new HtmlReport("flink-sip evaluation");
        html.paragraph(prefixes.size() + " held-out prefixes from " + r.heldOut() + "; "
                        + (r.greedy() ? "greedy" : "sampled (T = 1)") + " continuations; bootstrap 95% intervals.")
                .table(header, rows);
        if (win != null) {
            html.paragraph("Quality win rate of A over B (both orders): " + win);
        }
        double[] latencies = evaluator.judgeLatencies().stream().mapToDouble(Long::doubleValue).toArray();
        html.image("judge latency", Charts.histogram("Judge call latency (ms)", "ms", latencies, 20));
        Files.writeString(r.out().resolve("eval.html"), html.render(), StandardCharsets.UTF_8);
        for (List<String> row : rows) {
            out.println(row.get(0));
            for (int i = 1; i < row.size(); i++) {
                out.printf("  %-20s %s%n", header.get(i), row.get(i));
            }
        }
        if (win != null) {
            out.printf("quality win rate of A over B: %s%n", win);
        }
        out.printf("report      %s, %s (%.1f s)%n", r.out().resolve("eval.html"), r.out().resolve("eval.json"),
                (System.nanoTime() - started) / 1e9);
        return report;
    }
}
