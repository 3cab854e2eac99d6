package io.flinksip.backend.reference;

import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.WorldFixtures;

/** The reference judges of the default world, built once per test JVM (the quality judge trains for ~1 s). */
public final class ReferenceJudgesFixture {
    private static CoherenceQualityJudge quality;

    private ReferenceJudgesFixture() {
    }

    public static ReferenceWorld world() {
        return WorldFixtures.defaultWorld();
    }

    public static LexiconSafetyJudge safety() {
        return new LexiconSafetyJudge(world().lexicon());
    }

    public static FactTableFactualityJudge factuality() {
        return new FactTableFactualityJudge(world().claims());
    }

    public static synchronized CoherenceQualityJudge quality() {
        if (quality == null) {
            quality = new CoherenceQualityJudge(world());
        }
        return quality;
    }
}
