package io.flinksip.job.config;

import io.flinksip.model.WeightPrecision;
import io.flinksip.sync.SyncMode;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The translation of options into stage configs refuses combinations that could not work, saying why. */
class StageConfigsTest {
    private static Configuration publishingEvery(int every) {
        Configuration conf = new Configuration();
        conf.set(SipOptions.PUBLISH_EVERY, every);
        return conf;
    }

    @Test
    void publishingEveryPthVersionIsALatestModeSettingBoundedByTheStaleness() {
        assertEquals(1, StageConfigs.fromConfiguration(new Configuration()).publishEvery(), "every version by default");
        Configuration boundary = publishingEvery(5);
        boundary.set(SipOptions.MAX_STALENESS, 4);
        assertEquals(5, StageConfigs.fromConfiguration(boundary).publishEvery(), "P = S + 1 is the most that works");

        Configuration tooFar = publishingEvery(6);
        tooFar.set(SipOptions.MAX_STALENESS, 4);
        IllegalArgumentException far = assertThrows(IllegalArgumentException.class,
                () -> StageConfigs.fromConfiguration(tooFar).publishEvery());
        assertTrue(far.getMessage().contains("sip.learner.max-staleness + 1 (5)"), far.getMessage());

        Configuration strict = publishingEvery(2);
        strict.set(SipOptions.SYNC_MODE, SyncMode.STRICT);
        IllegalArgumentException exact = assertThrows(IllegalArgumentException.class,
                () -> StageConfigs.fromConfiguration(strict).publishEvery());
        assertTrue(exact.getMessage().contains("needs sip.sync.mode=LATEST"), exact.getMessage());

        Configuration ntp = publishingEvery(50);
        ntp.set(SipOptions.MODE, SipOptions.Mode.NTP);
        assertEquals(50, StageConfigs.fromConfiguration(ntp).publishEvery(), "no rollouts wait in NTP mode");
        assertThrows(IllegalArgumentException.class, () -> StageConfigs.fromConfiguration(publishingEvery(0))
                .publishEvery());
    }

    @Test
    void rolloutReplicasHoldFloat32WeightsUnlessFloat16IsAskedFor() {
        assertEquals(WeightPrecision.FLOAT32, StageConfigs.fromConfiguration(new Configuration())
                .rollout("/tmp/weights", "{}").precision(), "the learner's own numbers by default");
        Configuration half = Configuration.fromMap(java.util.Map.of("sip.rollout.precision", "FLOAT16"));
        assertEquals(WeightPrecision.FLOAT16, StageConfigs.fromConfiguration(half).rollout("/tmp/weights", "{}")
                .precision(), "as set in the configuration, e.g. -Dsip.rollout.precision=FLOAT16");
    }
}
