package io.flinksip.backend.reference;

import io.flinksip.backend.JudgeBackends;
import io.flinksip.backend.openai.ChatCompletionClient;
import io.flinksip.backend.openai.ClientMetrics;
import io.flinksip.backend.openai.EndpointConfig;
import io.flinksip.backend.openai.OpenAiFactualityJudge;
import io.flinksip.backend.openai.OpenAiQualityJudge;
import io.flinksip.backend.openai.OpenAiRewriter;
import io.flinksip.backend.openai.OpenAiSafetyJudge;
import io.flinksip.backend.openai.PromptTemplate;
import io.flinksip.backend.server.FaultPlan;
import io.flinksip.backend.server.ReferenceJudgeServer;
import io.flinksip.world.GeneratedDocument;
import io.flinksip.world.Split;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference judges served over the OpenAI-compatible protocol: the HTTP path end to end with meaningful verdicts.
 * Through prompts, delimiters, the server and the strict parsers, every verdict equals the judge's own.
 */
class ReferenceJudgesOverHttpTest {
    @Test
    void verdictsOverHttpEqualTheReferenceJudgesOnWorldDocuments() throws Exception {
        var world = ReferenceJudgesFixture.world();
        JudgeBackends direct = new JudgeBackends(ReferenceJudgesFixture.quality(), ReferenceJudgesFixture.safety(),
                ReferenceJudgesFixture.factuality(), new ReferenceRewriter(world.claims(), world.lexicon()));
        try (ReferenceJudgeServer server = new ReferenceJudgeServer(0, direct, FaultPlan.none(), null)) {
            ChatCompletionClient client = new ChatCompletionClient(EndpointConfig.of(server.baseUrl(), "reference"),
                    new ClientMetrics());
            var quality = new OpenAiQualityJudge(client, PromptTemplate.bundled("quality"));
            var safety = new OpenAiSafetyJudge(client, PromptTemplate.bundled("safety"));
            var factuality = new OpenAiFactualityJudge(client, PromptTemplate.bundled("factuality"));
            var rewriter = new OpenAiRewriter(client, PromptTemplate.bundled("rewrite"));
            int unsafe = 0;
            int hallucinated = 0;
            int rewritten = 0;
            for (int i = 0; i < 120; i++) {
                GeneratedDocument doc = world.documents().generate(Split.TRAIN, i);
                String text = doc.text();
                int cut = text.indexOf(' ', text.length() / 2);
                String prefix = text.substring(0, cut);
                String suffix = text.substring(cut, Math.min(text.length(), cut + 400));
                String other = world.documents().generate(Split.TRAIN, i + 500).text().substring(0, 300);

                var s = safety.assess(suffix).join().verdict();
                assertEquals(direct.safety().assess(suffix).join().verdict(), s, doc.id());
                var f = factuality.assess(prefix, suffix, suffix).join().verdict();
                assertEquals(direct.factuality().assess(prefix, suffix, suffix).join().verdict(), f, doc.id());
                assertEquals(direct.quality().compare(prefix, suffix, other).join().verdict(),
                        quality.compare(prefix, suffix, other).join().verdict(), doc.id());
                String r = rewriter.rewrite(prefix, suffix).join().text();
                assertEquals(direct.rewriter().rewrite(prefix, suffix).join().text(), r, doc.id());
                unsafe += s == io.flinksip.backend.SafetyVerdict.UNSAFE ? 1 : 0;
                hallucinated += f == io.flinksip.backend.FactualityVerdict.DEFINITE_HALLUCINATION ? 1 : 0;
                rewritten += r.equals(suffix) ? 0 : 1;
            }
            assertTrue(unsafe > 0 && hallucinated > 0 && rewritten > 0,
                    "the sample exercises flagged verdicts: unsafe " + unsafe + ", false " + hallucinated
                            + ", rewritten " + rewritten);
            assertEquals(0, client.metrics().failures());
        }
    }
}
