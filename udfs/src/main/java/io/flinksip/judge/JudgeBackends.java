package io.flinksip.judge;

import io.flinksip.rewrite.Rewriter;

/** The judges of each criterion and the rewriter one job (or server) uses; any may be null when unused. */
public record JudgeBackends(QualityJudge quality, SafetyJudge safety, FactualityJudge factuality, Rewriter rewriter) {
}
