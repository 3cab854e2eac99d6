package io.flinksip.judge.panel;

import io.flinksip.backend.FactualityJudge;
import io.flinksip.backend.Failures;
import io.flinksip.backend.Judged;
import io.flinksip.backend.PairwiseVerdict;
import io.flinksip.backend.QualityJudge;
import io.flinksip.backend.SafetyJudge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a candidate set into per-candidate scores with the paper's protocols: quality as the mean win rate over all
 * pairwise comparisons (or against the original suffix only, the pivot variant), safety and factuality pointwise,
 * each repeated and averaged, combined by configurable weights. All calls are issued at once and run concurrently
 * (each backend bounds its own concurrency).
 *
 * <p>Two identical candidate texts (a rewrite that copies the suffix, duplicate rollouts) are not sent to the quality
 * judge: each gets half a win, as a judge without position bias would give on average. If any call finally fails the
 * whole set fails, so that a sample is either scored completely or dead-lettered, never scored on partial evidence.
 */
public final class JudgePanel {
    private final PanelConfig config;
    private final QualityJudge quality;
    private final SafetyJudge safety;
    private final FactualityJudge factuality;

    public JudgePanel(PanelConfig config, QualityJudge quality, SafetyJudge safety, FactualityJudge factuality) {
        if (config.judgesQuality() && quality == null || config.judgesSafety() && safety == null
                || config.judgesFactuality() && factuality == null) {
            throw new IllegalArgumentException("every criterion with a positive weight needs a judge");
        }
        this.config = config;
        this.quality = quality;
        this.safety = safety;
        this.factuality = factuality;
    }

    public PanelConfig config() {
        return config;
    }

    /**
     * @param candidates candidate continuations' texts
     * @param referenceIndex index of the original suffix among the candidates (the factuality reference and the
     *     pivot)
     */
    public CompletableFuture<PanelResult> score(String prefix, List<String> candidates, int referenceIndex) {
        int n = candidates.size();
        if (n == 0 || referenceIndex < 0 || referenceIndex >= n) {
            throw new IllegalArgumentException("need candidates and a reference index among them");
        }
        if (config.judgesQuality() && n < 2) {
            throw new IllegalArgumentException("quality judging needs at least two candidates");
        }
        double[] wins = new double[n];
        int[] comparisons = new int[n];
        double[] safetySum = new double[n];
        double[] factSum = new double[n];
        List<String> verdicts = Collections.synchronizedList(new ArrayList<>());
        List<List<String>> byCandidate = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byCandidate.add(new ArrayList<>());
        }
        Set<String> judgeIds = Collections.synchronizedSet(new TreeSet<>());
        long[] maxLatency = {0};
        int[] calls = {0};
        List<CompletableFuture<?>> pending = new ArrayList<>();

        if (config.judgesQuality()) {
            for (int[] pair : pairs(n, referenceIndex)) {
                int a = pair[0];
                int b = pair[1];
                for (int r = 0; r < config.qualityRepeats(); r++) {
                    int orders = config.bothOrders() ? 2 : 1;
                    for (int o = 0; o < orders; o++) {
                        int first = o == 0 ? a : b;
                        int second = o == 0 ? b : a;
                        synchronized (wins) {
                            comparisons[a]++;
                            comparisons[b]++;
                        }
                        if (candidates.get(first).equals(candidates.get(second))) {
                            synchronized (wins) {
                                wins[a] += 0.5;
                                wins[b] += 0.5;
                            }
                            continue;
                        }
                        calls[0]++;
                        int sample = r * orders + o;
                        pending.add(quality.compare(prefix, candidates.get(first), candidates.get(second), sample)
                                .thenAccept(j -> {
                                    int winner = j.verdict() == PairwiseVerdict.FIRST ? first : second;
                                    synchronized (wins) {
                                        wins[winner] += 1;
                                    }
                                    record(verdicts, judgeIds, maxLatency, j,
                                            "quality " + first + ">" + second + " #" + sample + " " + j.verdict());
                                    recordFor(byCandidate, "quality " + first + ">" + second + " #" + sample + " "
                                            + j.verdict(), first, second);
                                }));
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            final int c = i;
            if (config.judgesSafety()) {
                for (int r = 0; r < config.safetyRepeats(); r++) {
                    final int sample = r;
                    calls[0]++;
                    pending.add(safety.assess(candidates.get(c), sample).thenAccept(j -> {
                        synchronized (safetySum) {
                            safetySum[c] += j.verdict().score();
                        }
                        record(verdicts, judgeIds, maxLatency, j, "safety " + c + " #" + sample + " " + j.verdict());
                        recordFor(byCandidate, "safety " + c + " #" + sample + " " + j.verdict(), c);
                    }));
                }
            }
            if (config.judgesFactuality()) {
                for (int r = 0; r < config.factualityRepeats(); r++) {
                    final int sample = r;
                    calls[0]++;
                    pending.add(factuality.assess(prefix, candidates.get(c), candidates.get(referenceIndex), sample)
                            .thenAccept(j -> {
                                synchronized (factSum) {
                                    factSum[c] += j.verdict().score();
                                }
                                record(verdicts, judgeIds, maxLatency, j,
                                        "factuality " + c + " #" + sample + " " + j.verdict());
                                recordFor(byCandidate, "factuality " + c + " #" + sample + " " + j.verdict(), c);
                            }));
                }
            }
        }
        int totalCalls = calls[0];
        return allOrFirstFailure(pending).thenApply(ignored -> {
            List<CandidateScores> scores = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                double q = config.judgesQuality() ? wins[i] / comparisons[i] : Double.NaN;
                double s = config.judgesSafety() ? safetySum[i] / config.safetyRepeats() : Double.NaN;
                double f = config.judgesFactuality() ? factSum[i] / config.factualityRepeats() : Double.NaN;
                double combined = (config.judgesQuality() ? config.qualityWeight() * q : 0)
                        + (config.judgesSafety() ? config.safetyWeight() * s : 0)
                        + (config.judgesFactuality() ? config.factualityWeight() * f : 0);
                scores.add(new CandidateScores(q, s, f, combined));
            }
            List<String> sorted;
            synchronized (verdicts) {
                sorted = new ArrayList<>(verdicts);
            }
            Collections.sort(sorted);
            List<List<String>> perCandidate = new ArrayList<>(n);
            synchronized (byCandidate) {
                for (List<String> l : byCandidate) {
                    List<String> copy = new ArrayList<>(l);
                    Collections.sort(copy);
                    perCandidate.add(List.copyOf(copy));
                }
            }
            return new PanelResult(List.copyOf(scores), sorted, List.copyOf(perCandidate), Set.copyOf(judgeIds),
                    totalCalls, maxLatency[0]);
        });
    }

    private List<int[]> pairs(int n, int pivot) {
        List<int[]> out = new ArrayList<>();
        if (config.qualityMode() == PanelConfig.QualityMode.PIVOT) {
            for (int i = 0; i < n; i++) {
                if (i != pivot) {
                    out.add(new int[] {i, pivot});
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    out.add(new int[] {i, j});
                }
            }
        }
        return out;
    }

    private static void record(List<String> verdicts, Set<String> judgeIds, long[] maxLatency, Judged<?> j,
                               String verdict) {
        verdicts.add(verdict);
        judgeIds.add(j.judgeId());
        synchronized (maxLatency) {
            maxLatency[0] = Math.max(maxLatency[0], j.latencyMillis());
        }
    }

    private static void recordFor(List<List<String>> byCandidate, String verdict, int... candidates) {
        synchronized (byCandidate) {
            for (int c : candidates) {
                byCandidate.get(c).add(verdict);
            }
        }
    }

    /** Completes when all complete, or exceptionally with the first failure's cause as soon as one fails. */
    private static CompletableFuture<Void> allOrFirstFailure(List<CompletableFuture<?>> futures) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).whenComplete((v, e) -> {
            if (e == null) {
                result.complete(null);
            }
        });
        for (CompletableFuture<?> f : futures) {
            f.whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(Failures.cause(e));
                }
            });
        }
        if (futures.isEmpty()) {
            result.complete(null);
        }
        return result;
    }
}
