package io.flinksip.eval;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the experiment's comparison: console table, report.json fields, and the HTML report with its charts. */
final class ExperimentReport {
    private ExperimentReport() {
    }

    static double relativeUnsafeReduction(PolicyEvaluation base, PolicyEvaluation x) {
        double b = base.unsafeRate().value();
        return b == 0 ? Double.NaN : (b - x.unsafeRate().value()) / b;
    }

    static double relativeFactualityGain(PolicyEvaluation base, PolicyEvaluation x) {
        double b = base.factuality().value();
        return b == 0 ? Double.NaN : (x.factuality().value() - b) / b;
    }

    static String table(Map<String, PolicyEvaluation> results, Map<String, Interval> winRates) {
        PolicyEvaluation base = results.get("ntp");
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-11s %-24s %-24s %-24s %-26s %-10s %-10s%n", "policy", "unsafe rate",
                "factuality", "perplexity", "win rate vs ntp", "unsafe Δ", "fact. Δ"));
        for (PolicyEvaluation e : results.values()) {
            Interval w = winRates.get(e.name());
            sb.append(String.format("%-11s %-24s %-24s %-24s %-26s %-10s %-10s%n", e.name(), e.unsafeRate(),
                    e.factuality(), e.perplexity(), w == null ? "-" : w.toString(),
                    e == base ? "-" : percent(-relativeUnsafeReduction(base, e)),
                    e == base ? "-" : percent(relativeFactualityGain(base, e))));
        }
        return sb.toString();
    }

    private static String percent(double x) {
        return Double.isNaN(x) ? "n/a" : String.format("%+.1f%%", 100 * x);
    }

    static Map<String, Object> json(Map<String, PolicyEvaluation> results, Map<String, Interval> winRates,
                                    Map<String, List<JsonNode>> updates, int prefixes, double minutes) {
        PolicyEvaluation base = results.get("ntp");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("heldOutPrefixes", prefixes);
        root.put("minutes", minutes);
        Map<String, Object> policies = new LinkedHashMap<>();
        for (PolicyEvaluation e : results.values()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("safetyRate", HtmlReport.json(e.safetyRate()));
            p.put("unsafeRate", HtmlReport.json(e.unsafeRate()));
            p.put("factuality", HtmlReport.json(e.factuality()));
            p.put("perplexity", HtmlReport.json(e.perplexity()));
            if (winRates.containsKey(e.name())) {
                p.put("winRateOverNtp", HtmlReport.json(winRates.get(e.name())));
                p.put("relativeUnsafeReduction", relativeUnsafeReduction(base, e));
                p.put("relativeFactualityImprovement", relativeFactualityGain(base, e));
            }
            List<JsonNode> u = updates.getOrDefault(e.name(), List.of());
            p.put("steps", u.size());
            p.put("rolloutChosenRate", series(u, "rolloutChosenRate"));
            p.put("loss", series(u, "loss"));
            p.put("meanReward", series(u, "meanReward"));
            policies.put(e.name(), p);
        }
        root.put("policies", policies);
        return root;
    }

    private static List<Double> series(List<JsonNode> updates, String field) {
        List<Double> out = new ArrayList<>();
        for (JsonNode u : updates) {
            JsonNode v = u.get(field);
            out.add(v == null || v.isNull() ? null : v.asDouble());
        }
        return out;
    }

    static String html(Map<String, PolicyEvaluation> results, Map<String, Interval> winRates,
                       Map<String, List<JsonNode>> updates, List<Long> judgeLatencies, int prefixes, double minutes) {
        HtmlReport r = new HtmlReport("flink-sip experiment: self-improving pretraining vs next-token pretraining");
        r.paragraph(String.format("%d held-out prefixes; intervals are bootstrap 95%% over prefixes; %.1f minutes "
                + "end to end. Judges: the built-in reference judges (lexicon safety, fact-table factuality, "
                + "pairwise coherence, both orders).", prefixes, minutes));
        PolicyEvaluation base = results.get("ntp");
        List<List<String>> rows = new ArrayList<>();
        for (PolicyEvaluation e : results.values()) {
            Interval w = winRates.get(e.name());
            rows.add(List.of(e.name(), e.unsafeRate().toString(), e.factuality().toString(),
                    e.perplexity().toString(), w == null ? "-" : w.toString(),
                    e == base ? "-" : percent(-relativeUnsafeReduction(base, e)),
                    e == base ? "-" : percent(relativeFactualityGain(base, e))));
        }
        r.heading("Comparison").table(List.of("policy", "unsafe rate", "factuality", "held-out perplexity",
                "quality win rate over ntp", "unsafe vs ntp", "factuality vs ntp"), rows);
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        for (PolicyEvaluation e : results.values()) {
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("unsafe rate", e.unsafeRate().value());
            v.put("factuality", e.factuality().value());
            v.put("win rate over ntp", winRates.containsKey(e.name()) ? winRates.get(e.name()).value() : 0.5);
            bars.put(e.name(), v);
        }
        r.image("final comparison", Charts.bars("Final comparison", "value", bars));
        r.heading("Training");
        r.image("loss", Charts.lines("Loss over steps", "step", "loss", curves(updates, "loss")));
        Map<String, List<JsonNode>> sip = new LinkedHashMap<>(updates);
        sip.remove("ntp");
        r.image("reward", Charts.lines("Mean reward of the chosen candidates", "step", "reward",
                curves(sip, "meanReward")));
        r.image("rollout chosen rate", Charts.lines("Rollout chosen rate (the curriculum curve), 20-step mean",
                "step", "rollouts chosen", smooth(curves(sip, "rolloutChosenRate"), 20)));
        for (Map.Entry<String, List<JsonNode>> e : sip.entrySet()) {
            r.image("winners " + e.getKey(), Charts.lines("Which candidate kind won: " + e.getKey()
                    + ", 20-step mean", "step", "share of examples", smooth(kinds(e.getValue()), 20)));
        }
        double[] latencies = judgeLatencies.stream().mapToDouble(Long::doubleValue).toArray();
        r.heading("Judging");
        r.image("judge latency", Charts.histogram("Judge call latency during evaluation (ms)", "ms", latencies, 20));
        r.heading("Sample continuations");
        for (PolicyEvaluation e : results.values()) {
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
                double n = u.get("examples").asDouble();
                JsonNode c = u.path("chosenKindCounts").get(kind);
                points.add(new double[] {u.get("step").asDouble(), c == null ? 0 : c.asDouble() / n});
            }
            out.put(kind, points);
        }
        return out;
    }
}
