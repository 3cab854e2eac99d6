package io.flinksip.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WorldConfigTest {

    @Test
    void defaultsDescribeTheEmbeddedWorld() {
        WorldConfig config = WorldConfig.defaults();
        assertEquals(20_000, config.trainDocuments());
        assertEquals(2_000, config.heldOutDocuments());
        assertEquals(80, config.minWords());
        assertEquals(600, config.maxWords());
        assertEquals(0.15, config.falseDocumentShare());
        assertEquals(0.10, config.unsafeDocumentShare());
    }

    @Test
    void withersChangeOnlyTheirFields() {
        WorldConfig base = WorldConfig.defaults();
        WorldConfig changed = base.withSeed(7).withDocuments(10, 3).withFalseStatements(0.5, 0.4)
                .withUnsafeSpans(0.25, 0.1);
        assertEquals(new WorldConfig(7, base.persons(), base.towns(), base.countries(), base.rivers(),
                base.companies(), 10, 3, base.heldOutEntityShare(), base.minWords(), base.maxWords(), 0.5, 0.4,
                0.25, 0.1, base.firstTimestampMillis(), base.timestampStepMillis()), changed);
    }

    @Test
    void rejectsWorldsThatCannotBeGenerated() {
        WorldConfig d = WorldConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> new WorldConfig(1, d.persons(), 3, 4, d.rivers(),
                d.companies(), 1, 1, 0.1, 80, 600, 0.1, 0.1, 0.1, 0.1, 0, 1), "fewer towns than countries");
        assertThrows(IllegalArgumentException.class, () -> new WorldConfig(1, d.persons(), 10, 1, d.rivers(),
                d.companies(), 1, 1, 0.1, 80, 600, 0.1, 0.1, 0.1, 0.1, 0, 1), "one country has no wrong value");
        assertThrows(IllegalArgumentException.class, () -> new WorldConfig(1, 0, 10, 2, 1, 2, 1, 1, 0.1, 80, 600,
                0.1, 0.1, 0.1, 0.1, 0, 1), "no persons");
        assertThrows(IllegalArgumentException.class, () -> d.withDocuments(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> d.withFalseStatements(1.5, 0.1));
        assertThrows(IllegalArgumentException.class, () -> d.withUnsafeSpans(0.1, -0.1));
        assertThrows(IllegalArgumentException.class, () -> d.withUnsafeSpans(Double.NaN, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new WorldConfig(1, 5, 10, 2, 1, 2, 1, 1, 0.0, 80, 600,
                0.1, 0.1, 0.1, 0.1, 0, 1), "held-out documents need held-out entities");
        assertThrows(IllegalArgumentException.class, () -> new WorldConfig(1, 5, 10, 2, 1, 2, 1, 1, 0.1, 90, 80,
                0.1, 0.1, 0.1, 0.1, 0, 1), "min above max");
        assertThrows(IllegalArgumentException.class, () -> new WorldConfig(1, 5, 10, 2, 1, 2, 1, 1, 0.1, 80, 600,
                0.1, 0.1, 0.1, 0.1, 0, 0), "timestamps must increase");
    }
}
