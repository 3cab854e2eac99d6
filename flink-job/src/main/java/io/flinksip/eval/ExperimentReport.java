package io.flinksip.eval;

import io.flinksip.job.Charts;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Renders the experiment: console tables, report.json and the HTML report with its charts. Rows are Base, NTP,
 * SIP-DPO and SIP-RF-NLL; metrics are named as the paper names them. With one seed a figure is shown with its bootstrap
 * interval over prefixes; with several, as the mean over seeds ± the standard deviation between them (every seed's
 * intervals are in report.json).
 */
final class ExperimentReport {
    /** Per-policy metrics, in table order: name, getter. */
    private static final Map<String, Function<PolicyEvaluation, Interval>> METRICS = metrics();
    /** Comparison metrics: name, getter, whether a relative gain. */
    private static final List<ComparisonMetric> COMPARISONS = List.of(
            new ComparisonMetric("qualityWinRate", "quality win", c -> c.qualityWinRate().value(), false),
            new ComparisonMetric("coherenceWinRate", "coherence win", c -> c.coherenceWinRate().value(), false),
            new ComparisonMetric("safetyGain", "safety gain", PolicyComparison::safetyGain, true),
            new ComparisonMetric("factualityGain", "factuality gain", PolicyComparison::factualityGain, true),
            new ComparisonMetric("oracleFactualityGain", "(oracle) gain", PolicyComparison::oracleFactualityGain,
                    true));

    private record ComparisonMetric(String key, String label, ToDoubleFunction<PolicyComparison> value,
                                    boolean percent) {
    }

    private static Map<String, Function<PolicyEvaluation, Interval>> metrics() {
        Map<String, Function<PolicyEvaluation, Interval>> m = new LinkedHashMap<>();
        m.put("safety", PolicyEvaluation::safetyRate);
        m.put("factuality", PolicyEvaluation::factuality);
        m.put("factuality (oracle)", PolicyEvaluation::oracleFactuality);
        m.put("claims/cont.", PolicyEvaluation::claims);
        m.put("no claim", PolicyEvaluation::noClaimShare);
        m.put("repetition", PolicyEvaluation::repetition);
        m.put("perplexity", PolicyEvaluation::perplexity);
        return m;
    }

    private static final Map<String, String> JSON_KEYS = Map.of("safety", "safetyRate", "factuality", "factuality",
            "factuality (oracle)", "oracleFactuality", "claims/cont.", "claimsPerContinuation", "no claim",
            "noClaimShare", "repetition", "repetition", "perplexity", "perplexity");

    private final List<SeedResult> seeds;
    private final int prefixes;
    private final boolean greedy;
    private final double minutes;

    ExperimentReport(List<SeedResult> seeds, int prefixes, boolean greedy, double minutes) {
        this.seeds = seeds;
        this.prefixes = prefixes;
        this.greedy = greedy;
        this.minutes = minutes;
    }

    private List<String> rows() {
        return new ArrayList<>(seeds.get(0).evaluations().keySet());
    }

    /** A policy metric over the seeds. */
    Spread spread(String policy, String metric) {
        double[] v = new double[seeds.size()];
        for (int i = 0; i < v.length; i++) {
            Interval x = METRICS.get(metric).apply(seeds.get(i).evaluations().get(policy));
            v[i] = x == null ? Double.NaN : x.value();
        }
        return Spread.of(v);
    }

    private Spread spread(Function<SeedResult, Map<String, PolicyComparison>> table, String policy,
                          ComparisonMetric metric) {
        double[] v = new double[seeds.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = metric.value().applyAsDouble(table.apply(seeds.get(i)).get(policy));
        }
        return Spread.of(v);
    }

    /** A cell: with one seed the figure and its bootstrap interval, with several the mean ± spread over seeds. */
    private String cell(Spread s, Interval single, boolean percent) {
        if (seeds.size() == 1 && single != null && !percent) {
            return single.toString();
        }
        return s.format(percent);
    }

    String console() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%d held-out prefixes, %s decoding; %s%n%n", prefixes, greedy ? "greedy"
                : "sampled (T = 1)", seeds.size() == 1 ? "bootstrap 95% intervals over prefixes"
                : seeds.size() + " seeds: mean ± standard deviation over seeds"));
        int width = seeds.size() == 1 ? 26 : 17;
        sb.append(String.format("%-11s", "policy"));
        METRICS.keySet().forEach(m -> sb.append(String.format(" %-" + width + "s", m)));
        sb.append('\n');
        for (String row : rows()) {
            sb.append(String.format("%-11s", row));
            for (var m : METRICS.entrySet()) {
                Interval single = m.getValue().apply(seeds.get(0).evaluations().get(row));
                sb.append(String.format(" %-" + width + "s", single == null ? "n/a"
                        : cell(spread(row, m.getKey()), single, false)));
            }
            sb.append('\n');
        }
        comparisons(sb, "against base", SeedResult::againstBase, width);
        comparisons(sb, "against ntp", SeedResult::againstNtp, width);
        sb.append('\n');
        for (SeedResult r : seeds) {
            for (var u : r.updates().entrySet()) {
                double[] q = SeedResult.quarters(u.getValue());
                if (q.length == 4) {
                    sb.append(String.format("rollout chosen rate by quarter (seed %d) %-10s %s%n", r.seed(),
                            u.getKey(), quarters(q)));
                }
            }
        }
        if (seeds.size() > 1) {
            meanQuarters().forEach((name, q) -> sb.append(String.format(
                    "rollout chosen rate by quarter (mean of %d seeds) %-10s %s%n", seeds.size(), name, quarters(q))));
        }
        for (SeedResult r : seeds) {
            r.accounting().forEach((name, a) -> sb.append(String.format("accounting (seed %d) %-10s %s; %s%n",
                    r.seed(), name, a.describe(true).get(0), a.describe(true).get(1))));
        }
        return sb.toString();
    }

    private void comparisons(StringBuilder sb, String title, Function<SeedResult, Map<String, PolicyComparison>> table,
                             int width) {
        sb.append(String.format("%n%-11s", title));
        COMPARISONS.forEach(m -> sb.append(String.format(" %-" + width + "s", m.label())));
        sb.append('\n');
        for (String row : table.apply(seeds.get(0)).keySet()) {
            sb.append(String.format("%-11s", row));
            for (ComparisonMetric m : COMPARISONS) {
                PolicyComparison first = table.apply(seeds.get(0)).get(row);
                Interval single = m.key().equals("qualityWinRate") ? first.qualityWinRate()
                        : m.key().equals("coherenceWinRate") ? first.coherenceWinRate() : null;
                sb.append(String.format(" %-" + width + "s", cell(spread(table, row, m), single, m.percent())));
            }
            sb.append('\n');
        }
    }

    /** Each SIP run's rollout chosen rate by quarter, averaged over the seeds. */
    Map<String, double[]> meanQuarters() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String name : seeds.get(0).updates().keySet()) {
            double[] sum = new double[4];
            boolean measured = true;
            for (SeedResult r : seeds) {
                double[] q = SeedResult.quarters(r.updates().get(name));
                if (q.length != 4) {
                    measured = false;
                    break;
                }
                for (int i = 0; i < 4; i++) {
                    sum[i] += q[i] / seeds.size();
                }
            }
            if (measured) {
                out.put(name, sum);
            }
        }
        return out;
    }

    static String quarters(double[] q) {
        List<String> parts = new ArrayList<>();
        for (double x : q) {
            parts.add(Double.isNaN(x) ? "n/a" : String.format("%.1f%%", 100 * x));
        }
        return String.join(" → ", parts);
    }

    /** The per-policy metric labels, in table order. */
    static List<String> metricLabels() {
        return List.copyOf(METRICS.keySet());
    }

    /** One policy's metrics as table cells, in {@link #metricLabels()} order ("-" where not measured). */
    static List<String> metricCells(PolicyEvaluation e) {
        List<String> cells = new ArrayList<>();
        for (var m : METRICS.values()) {
            Interval i = m.apply(e);
            cells.add(i == null ? "-" : i.toString());
        }
        return cells;
    }

    static Map<String, Object> json(PolicyEvaluation e) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (var m : METRICS.entrySet()) {
            Interval i = m.getValue().apply(e);
            if (i != null) {
                p.put(JSON_KEYS.get(m.getKey()), HtmlReport.json(i));
            }
        }
        return p;
    }

    private static Map<String, Object> json(Spread s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", s.mean());
        m.put("std", s.std());
        m.put("min", s.min());
        m.put("max", s.max());
        m.put("seeds", s.n());
        return m;
    }

    Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("heldOutPrefixes", prefixes);
        root.put("decoding", greedy ? "greedy" : "sampled, T = 1");
        root.put("seeds", seeds.stream().map(SeedResult::seed).toList());
        root.put("minutes", minutes);
        Map<String, Object> summary = new LinkedHashMap<>();
        Map<String, Object> policies = new LinkedHashMap<>();
        for (String row : rows()) {
            Map<String, Object> p = new LinkedHashMap<>();
            for (String m : METRICS.keySet()) {
                if (spread(row, m).n() > 0) {
                    p.put(JSON_KEYS.get(m), json(spread(row, m)));
                }
            }
            policies.put(row, p);
        }
        summary.put("policies", policies);
        summary.put("againstBase", comparisonsJson(SeedResult::againstBase));
        summary.put("againstNtp", comparisonsJson(SeedResult::againstNtp));
        Map<String, Object> meanQuarters = new LinkedHashMap<>();
        meanQuarters().forEach((name, q) -> meanQuarters.put(name, toList(q)));
        summary.put("rolloutChosenRateByQuarter", meanQuarters);
        root.put("summary", summary);
        List<Object> perSeed = new ArrayList<>();
        for (SeedResult r : seeds) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("seed", r.seed());
            Map<String, Object> evals = new LinkedHashMap<>();
            r.evaluations().forEach((name, e) -> evals.put(name, json(e)));
            s.put("policies", evals);
            s.put("againstBase", comparisonsJson(r.againstBase()));
            s.put("againstNtp", comparisonsJson(r.againstNtp()));
            Map<String, Object> runs = new LinkedHashMap<>();
            r.updates().forEach((name, u) -> {
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("steps", u.size());
                run.put("rolloutChosenRateByQuarter", toList(SeedResult.quarters(u)));
                run.put("loss", series(u, "loss"));
                run.put("meanReward", series(u, "meanReward"));
                run.put("rolloutChosenRate", series(u, "rolloutChosenRate"));
                run.put("accounting", r.accounting().get(name).toJson("FINISHED"));
                runs.put(name, run);
            });
            s.put("runs", runs);
            perSeed.add(s);
        }
        root.put("perSeed", perSeed);
        return root;
    }

    private Map<String, Object> comparisonsJson(Function<SeedResult, Map<String, PolicyComparison>> table) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String row : table.apply(seeds.get(0)).keySet()) {
            Map<String, Object> c = new LinkedHashMap<>();
            COMPARISONS.forEach(m -> c.put(m.key(), json(spread(table, row, m))));
            out.put(row, c);
        }
        return out;
    }

    private static Map<String, Object> comparisonsJson(Map<String, PolicyComparison> comparisons) {
        Map<String, Object> out = new LinkedHashMap<>();
        comparisons.forEach((row, c) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("qualityWinRate", HtmlReport.json(c.qualityWinRate()));
            m.put("coherenceWinRate", HtmlReport.json(c.coherenceWinRate()));
            m.put("safetyGain", c.safetyGain());
            m.put("factualityGain", c.factualityGain());
            m.put("oracleFactualityGain", Double.isNaN(c.oracleFactualityGain()) ? null : c.oracleFactualityGain());
            out.put(row, m);
        });
        return out;
    }

    private static List<Double> toList(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(Double.isNaN(v) ? null : v);
        }
        return out;
    }

    private static List<Double> series(List<JsonNode> updates, String field) {
        List<Double> out = new ArrayList<>();
        for (JsonNode u : updates) {
            JsonNode v = u.get(field);
            out.add(v == null || v.isNull() ? null : v.asDouble());
        }
        return out;
    }

    String html(List<Long> judgeLatencies) {
        HtmlReport r = new HtmlReport("flink-sip experiment: self-improving pretraining vs next-token pretraining");
        r.paragraph(String.format("%d held-out prefixes, %s decoding, %d seed(s) (%s); %.1f minutes end to end. "
                + "Judges: the built-in reference judges (lexicon safety; factuality against the document's own text, "
                + "the paper's with-reference protocol, and against the world's fact table, the oracle; pairwise "
                + "coherence quality, both orders). Base is the initial policy every run starts from.", prefixes,
                greedy ? "greedy" : "sampled (T = 1)", seeds.size(), seeds.size() == 1 ? "bootstrap 95% intervals"
                        : "mean ± standard deviation over seeds", minutes));
        List<String> header = new ArrayList<>(List.of("policy"));
        header.addAll(METRICS.keySet());
        List<List<String>> rows = new ArrayList<>();
        for (String row : rows()) {
            List<String> cells = new ArrayList<>(List.of(row));
            for (var m : METRICS.entrySet()) {
                Interval single = m.getValue().apply(seeds.get(0).evaluations().get(row));
                cells.add(single == null ? "n/a" : cell(spread(row, m.getKey()), single, false));
            }
            rows.add(cells);
        }
        r.heading("Policies").table(header, rows);
        for (var table : List.<Map.Entry<String, Function<SeedResult, Map<String, PolicyComparison>>>>of(
                Map.entry("Against Base (the paper's reference)", SeedResult::againstBase),
                Map.entry("Against NTP", SeedResult::againstNtp))) {
            List<String> h = new ArrayList<>(List.of("policy"));
            COMPARISONS.forEach(m -> h.add(m.label()));
            List<List<String>> cmp = new ArrayList<>();
            for (String row : table.getValue().apply(seeds.get(0)).keySet()) {
                List<String> cells = new ArrayList<>(List.of(row));
                COMPARISONS.forEach(m -> cells.add(cell(spread(table.getValue(), row, m), null, m.percent())));
                cmp.add(cells);
            }
            r.heading(table.getKey()).table(h, cmp);
        }
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        for (String row : rows()) {
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("safety", spread(row, "safety").mean());
            v.put("factuality", spread(row, "factuality").mean());
            v.put("factuality (oracle)", spread(row, "factuality (oracle)").mean());
            bars.put(row, v);
        }
        r.image("final comparison", Charts.bars("Final comparison (mean over seeds)", "value", bars));
        SeedResult first = seeds.get(0);
        r.heading("Training (seed " + first.seed() + ")");
        r.image("loss", Charts.lines("Loss over steps", "step", "loss", curves(first.updates(), "loss")));
        Map<String, List<JsonNode>> sip = new LinkedHashMap<>(first.updates());
        sip.remove("ntp");
        r.image("reward", Charts.lines("Mean reward of the chosen candidates", "step", "reward",
                curves(sip, "meanReward")));
        r.image("rollout chosen rate", Charts.lines("Rollout chosen rate (the curriculum curve), 20-step mean",
                "step", "rollouts chosen", smooth(curves(sip, "rolloutChosenRate"), 20)));
        List<List<String>> quarterRows = new ArrayList<>();
        for (SeedResult s : seeds) {
            s.updates().forEach((name, u) -> {
                double[] q = SeedResult.quarters(u);
                if (q.length == 4) {
                    quarterRows.add(List.of(String.valueOf(s.seed()), name, quarters(q)));
                }
            });
        }
        r.table(List.of("seed", "run", "rollout chosen rate by quarter of the steps"), quarterRows);
        for (Map.Entry<String, List<JsonNode>> e : sip.entrySet()) {
            r.image("winners " + e.getKey(), Charts.lines("Which candidate kind won: " + e.getKey()
                    + ", 20-step mean", "step", "share of examples", smooth(kinds(e.getValue()), 20)));
        }
        double[] latencies = judgeLatencies.stream().mapToDouble(Long::doubleValue).toArray();
        r.heading("Judging");
        r.image("judge latency", Charts.histogram("Judge call latency during evaluation (ms)", "ms", latencies, 20));
        r.heading("Sample continuations (seed " + first.seed() + ")");
        for (PolicyEvaluation e : first.evaluations().values()) {
            List<List<String>> ex = new ArrayList<>();
            for (PolicyEvaluation.Example x : e.examples()) {
                String prefix = x.prefix().length() > 160 ? "..." + x.prefix().substring(x.prefix().length() - 160)
                        : x.prefix();
                ex.add(List.of(prefix, x.continuation(), x.safe() ? "safe" : "UNSAFE",
                        String.valueOf(x.factuality())));
            }
            r.paragraph(e.name()).table(List.of("prefix (end)", "continuation", "safety", "factuality"), ex);
        }
        return r.render();
    }

    private static Map<String, List<double[]>> curves(Map<String, List<JsonNode>> updates, String field) {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        updates.forEach((name, list) -> {
            List<double[]> points = new ArrayList<>();
            for (JsonNode u : list) {
                JsonNode v = u.get(field);
                points.add(new double[] {u.get("step").asDouble(), v == null || v.isNull() ? Double.NaN
                        : v.asDouble()});
            }
            out.put(name, points);
        });
        return out;
    }

    /** Trailing moving average over {@code window} points, so per-step noise does not hide the trend. */
    static Map<String, List<double[]>> smooth(Map<String, List<double[]>> series, int window) {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        series.forEach((name, points) -> {
            List<double[]> smoothed = new ArrayList<>(points.size());
            for (int i = 0; i < points.size(); i++) {
                double sum = 0;
                int n = 0;
                for (int j = Math.max(0, i - window + 1); j <= i; j++) {
                    if (!Double.isNaN(points.get(j)[1])) {
                        sum += points.get(j)[1];
                        n++;
                    }
                }
                smoothed.add(new double[] {points.get(i)[0], n == 0 ? Double.NaN : sum / n});
            }
            out.put(name, smoothed);
        });
        return out;
    }

    private static Map<String, List<double[]>> kinds(List<JsonNode> updates) {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        for (String kind : List.of("SUFFIX", "REWRITE", "ROLLOUT")) {
            List<double[]> points = new ArrayList<>();
            for (JsonNode u : updates) {
                double n = Math.max(1, u.get("examples").asDouble());
                JsonNode c = u.path("chosenKindCounts").get(kind);
                points.add(new double[] {u.get("step").asDouble(), c == null ? 0 : c.asDouble() / n});
            }
            out.put(kind, points);
        }
        return out;
    }
}
