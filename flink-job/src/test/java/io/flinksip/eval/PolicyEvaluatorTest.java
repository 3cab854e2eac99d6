package io.flinksip.eval;

import io.flinksip.backend.Judged;
import io.flinksip.backend.PairwiseVerdict;
import io.flinksip.backend.QualityJudge;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.SamplingConfig;
import io.flinksip.segment.SegmentConfig;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.Split;
import io.flinksip.world.WorldConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyEvaluatorTest {
    private static List<EvalPrefix> prefixes(int n) {
        List<EvalPrefix> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new EvalPrefix("p" + i, new int[] {1}, new int[] {2}, "prefix " + i, "suffix"));
        }
        return out;
    }

    private static PolicyEvaluator evaluator(QualityJudge quality) {
        return new PolicyEvaluator(new PolicyEvaluator.Settings(SamplingConfig.ancestral(4), 1, 8, 1000),
                new EvalJudges(quality, null, null, null, null), null);
    }

    @Test
    void bothOrdersCancelPositionBias() {
        QualityJudge alwaysFirst = (p, a, b) -> CompletableFuture.completedFuture(
                new Judged<>(PairwiseVerdict.FIRST, "", "biased", 0, 1));
        List<String> a = List.of("x", "y", "z", "w");
        List<String> b = List.of("q", "r", "s", "t");
        Interval w = evaluator(alwaysFirst).winRate(prefixes(4), a, b);
        assertEquals(0.5, w.value(), 1e-12, "A wins in one order, B in the other: half a win each time");
        assertEquals(0.5, w.low());
        assertEquals(0.5, w.high());
    }

    @Test
    void coherenceWinRateCountsWhichContinuationRepeatsItselfLess() {
        PolicyEvaluator evaluator = evaluator(null);
        List<String> a = List.of("one two three four five", "a b c a b c a b c", "x y z w");
        List<String> b = List.of("one two three one two three", "a b c d e f", "x y z w");
        assertEquals((1 + 0 + 0.5) / 3, evaluator.coherenceWinRate(a, b).value(), 1e-12);
        assertEquals(0.0, Repetition.rate("one two three four five"));
        assertEquals(4 / 7.0, Repetition.rate("a b c a b c a b c"), 1e-12, "4 of its 7 word 3-grams repeat");
    }

    @Test
    void winRateByHand() {
        QualityJudge longer = (p, a, b) -> CompletableFuture.completedFuture(new Judged<>(
                a.length() >= b.length() ? PairwiseVerdict.FIRST : PairwiseVerdict.SECOND, "", "len", 0, 1));
        // A longer on prefixes 0 and 1, B longer on 2, identical on 3 (a tie without a call).
        List<String> a = List.of("aaaa", "aaaa", "a", "same");
        List<String> b = List.of("b", "bb", "bbbb", "same");
        Interval w = evaluator(longer).winRate(prefixes(4), a, b);
        assertEquals((1 + 1 + 0 + 0.5) / 4, w.value(), 1e-12);
    }

    /** A policy against itself (two samples per prefix) wins about half the time, within its interval. */
    @Test
    void aPolicyAgainstItselfIsAtFiftyPercentWithinItsInterval() throws Exception {
        WorldConfig world = WorldConfig.defaults().withDocuments(80, 10);
        ReferenceWorld generated = ReferenceWorld.generate(world);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            texts.add(generated.documents().generate(Split.TRAIN, i).text());
        }
        TextTokenizer tokenizer = new ByteLevelBpeTrainer(512).train(texts);
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("held-out", ".jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            lines.add(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("id", "d" + i)
                    .put("text", texts.get(i)).toString());
        }
        java.nio.file.Files.write(tmp, lines);
        List<EvalPrefix> prefixes = EvalPrefixes.fromJsonl(tmp, tokenizer,
                new SegmentConfig(16, 48, 8, SegmentConfig.SplitPolicy.RANDOM_ONE, 1_000_000, 5), 80);
        assertEquals(80, prefixes.size());
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        conf.set(io.flinksip.job.config.SipOptions.WORLD_DOCUMENTS, 80);
        EvalJudges judges = EvalJudges.of(conf);
        LlamaConfig config = LlamaConfig.tiny(tokenizer.vocabSize(), tokenizer.eosTokenId())
                .withShape(32, 64, 1, 2, 2, true).withMaxPositions(96);
        try (LlamaModel model = LlamaModel.create(config, LlamaModel.initialWeights(config, 3), false)) {
            PolicyEvaluator first = new PolicyEvaluator(new PolicyEvaluator.Settings(
                    SamplingConfig.ancestral(16), 1, 16, 1000), judges, tokenizer);
            PolicyEvaluator second = new PolicyEvaluator(new PolicyEvaluator.Settings(
                    SamplingConfig.ancestral(16), 2, 16, 1000), judges, tokenizer);
            List<String> a = first.generate(model, prefixes);
            List<String> b = second.generate(model, prefixes);
            Interval w = first.winRate(prefixes, a, b);
            assertTrue(w.low() <= 0.5 && 0.5 <= w.high(), "self win rate " + w);
            PolicyEvaluation e = first.evaluate("self", model, prefixes, a);
            assertTrue(e.perplexity().value() > 1, "perplexity of the suffixes is reported: " + e.perplexity());
            for (Interval i : List.of(e.safetyRate(), e.factuality(), e.oracleFactuality(), e.noClaimShare(),
                    e.repetition())) {
                assertTrue(0 <= i.low() && i.low() <= i.value() && i.value() <= i.high() && i.high() <= 1, "" + i);
            }
            assertTrue(e.claims().value() >= 0);
            assertTrue(!first.judgeLatencies().isEmpty());
        }
    }
}
