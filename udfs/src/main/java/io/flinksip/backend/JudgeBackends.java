package io.flinksip.backend;

import io.flinksip.backend.openai.ClientMetrics;

import java.util.Map;

/**
 * The judges of each criterion and the rewriter one job (or server) uses; any may be null when unused.
 *
 * @param clients the metrics of the LLM clients behind them, by role (empty for in-process judges), for the operators
 *     to register with Flink's metric system
 */
public record JudgeBackends(QualityJudge quality, SafetyJudge safety, FactualityJudge factuality, Rewriter rewriter,
                            Map<String, ClientMetrics> clients) {
    public JudgeBackends {
        clients = Map.copyOf(clients);
    }

    public JudgeBackends(QualityJudge quality, SafetyJudge safety, FactualityJudge factuality, Rewriter rewriter) {
        this(quality, safety, factuality, rewriter, Map.of());
    }
}
