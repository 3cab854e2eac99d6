package io.flinksip.backend;

import io.flinksip.backend.reference.CoherenceQualityJudge;
import io.flinksip.backend.reference.FactTableFactualityJudge;
import io.flinksip.backend.reference.LexiconSafetyJudge;
import io.flinksip.backend.reference.ReferenceRewriter;
import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.WorldConfig;

/**
 * The built-in reference judges and rewriter over the generated world. Only the world's configuration travels in the
 * job graph; each task regenerates the world from it (deterministic from the seed), so no file needs to be shared.
 */
public record ReferenceBackendFactory(WorldConfig world) implements JudgeBackendFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public JudgeBackends create() {
        ReferenceWorld w = ReferenceWorld.generate(world);
        return new JudgeBackends(new CoherenceQualityJudge(w), new LexiconSafetyJudge(w.lexicon()),
                new FactTableFactualityJudge(w.claims()), new ReferenceRewriter(w.claims(), w.lexicon()));
    }
}
