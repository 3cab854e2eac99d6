package io.flinksip.rewrite;

import io.flinksip.backend.JudgeBackendFactory;
import io.flinksip.backend.JudgeBackends;
import io.flinksip.backend.JudgeException;
import io.flinksip.backend.Rewriter;
import io.flinksip.deadletter.AsyncStageHarness;
import io.flinksip.deadletter.StageResult;
import io.flinksip.rollout.CandidateSets;
import io.flinksip.schema.Candidate;
import io.flinksip.schema.CandidateKind;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.Sample;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenizerBackend;
import io.flinksip.tokenizer.TokenizerJson;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The rewrite stage in Flink's async operator harness: the rewrite goes second in the set; a rewriter that fails
 * turns the sample into a dead letter with its reason (in-band, as async functions have no side outputs); a rewrite
 * past the stage timeout is dead-lettered as rewrite_timeout.
 */
class RewriteAsyncFunctionTest {
    private static final String TEXT = "The mill by the river grinds grain for the town every morning. ".repeat(8);
    private static String tokenizerJson;

    @BeforeAll
    static void tokenizer(@TempDir Path dir) throws Exception {
        new ByteLevelBpeTrainer(512).train(List.of(TEXT)).save(dir.resolve("t.json"));
        tokenizerJson = Files.readString(dir.resolve("t.json"));
    }

    /** A rewriter that upper-cases "river", fails on prefixes starting with "fail", and never answers "slow". */
    static final class ScriptedRewriter implements JudgeBackendFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public JudgeBackends create() {
            Rewriter rewriter = (prefix, suffix) -> {
                if (prefix.startsWith("fail")) {
                    return CompletableFuture.failedFuture(new JudgeException(JudgeException.Reason.UNAVAILABLE,
                            "injected: the rewriter is down"));
                }
                if (prefix.startsWith("slow")) {
                    return new CompletableFuture<>();
                }
                return CompletableFuture.completedFuture(new Rewriter.Rewritten(suffix.replace("river", "RIVER"),
                        "scripted", 1));
            };
            return new JudgeBackends(null, null, null, rewriter);
        }
    }

    private static CandidateSet set(String docId, String prefix, TextTokenizer tokenizer) {
        Sample s = Sample.newBuilder().setDocId(docId).setSampleIndex(0).setShard(0)
                .setPrefixTokens(List.of(1, 2, 3)).setSuffixTokens(List.of(4, 5)).setEventTimeMillis(0)
                .setSplitSeed(0).build();
        return CandidateSets.open(s, prefix, "by the river", null, tokenizer, 16);
    }

    private static String docOf(StageResult<CandidateSet> r) {
        return r.isOk() ? r.value.getSample().getDocId().toString() : r.deadLetter.getDocId().toString();
    }

    @Test
    void theRewriteGoesSecondAFailureAndATimeoutBecomeDeadLetters() throws Exception {
        List<StageResult<CandidateSet>> results = new ArrayList<>();
        try (TextTokenizer tokenizer = TokenizerJson.load(tokenizerJson, TokenizerBackend.AUTO);
             var h = new OneInputStreamOperatorTestHarness<CandidateSet, StageResult<CandidateSet>>(
                     new AsyncWaitOperatorFactory<>(new RewriteAsyncFunction(new ScriptedRewriter(), true,
                             tokenizerJson, 16), 500, 10, AsyncDataStream.OutputMode.UNORDERED),
                     TypeInformation.of(CandidateSet.class).createSerializer(new SerializerConfigImpl()))) {
            h.open();
            h.processElement(new StreamRecord<>(set("ok", "the mill", tokenizer), 1));
            h.processElement(new StreamRecord<>(set("down", "fail now", tokenizer), 2));
            h.processElement(new StreamRecord<>(set("hung", "slow one", tokenizer), 3));
            // two calls answer; the third passes the 500 ms stage timeout on the harness's manual clock
            results.addAll(AsyncStageHarness.results(h, 2, 1_000));
        }
        results.sort(Comparator.comparing(RewriteAsyncFunctionTest::docOf));
        assertEquals(List.of("down", "hung", "ok"), results.stream().map(RewriteAsyncFunctionTest::docOf).toList(),
                "one result per set");
        assertEquals("rewrite_unavailable", results.get(0).deadLetter.getReason(), "the failure's reason code");
        assertEquals("rewrite_timeout", results.get(1).deadLetter.getReason(), "a rewrite past the stage timeout");
        StageResult<CandidateSet> ok = results.get(2);
        assertNull(ok.deadLetter);
        assertEquals(List.of(CandidateKind.SUFFIX, CandidateKind.REWRITE),
                ok.value.getCandidates().stream().map(Candidate::getKind).toList(), "the rewrite goes second");
        assertEquals("by the RIVER", ok.value.getCandidates().get(1).getText().toString());
    }
}
