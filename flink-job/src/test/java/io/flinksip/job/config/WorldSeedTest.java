package io.flinksip.job.config;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The reference judges must know the world the corpus came from: a run over a corpus with another job seed (as the
 * experiment's repetitions are) keeps its judges on the corpus's world when sip.world.seed names it.
 */
class WorldSeedTest {
    @Test
    void theWorldFollowsTheJobSeedUnlessItsOwnSeedIsSet() {
        Configuration corpus = new Configuration();
        corpus.set(SipOptions.SEED, 42L);
        Configuration repetition = new Configuration();
        repetition.set(SipOptions.SEED, 43L);
        assertNotEquals(StageConfigs.fromConfiguration(corpus).world(),
                StageConfigs.fromConfiguration(repetition).world(),
                "without sip.world.seed the job seed picks the world");

        repetition.set(SipOptions.WORLD_SEED, 42L);
        assertEquals(StageConfigs.fromConfiguration(corpus).world(), StageConfigs.fromConfiguration(repetition).world(),
                "with sip.world.seed a run with another job seed judges with the corpus's world");
    }
}
