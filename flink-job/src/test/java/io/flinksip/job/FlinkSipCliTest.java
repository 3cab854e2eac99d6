package io.flinksip.job;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlinkSipCliTest {
    @Test
    void badUsageExitsWithTwoAndExplains() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, FlinkSipCli.run(new String[] {"demo", "--stpes", "3"}, System.out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --stpes"));
        err.reset();
        assertEquals(2, FlinkSipCli.run(new String[] {"demo", "--steps", "x"}, System.out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("expects an integer"));
        err.reset();
        assertEquals(2, FlinkSipCli.run(new String[] {"fly"}, System.out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'fly'"));
    }

    @Test
    void helpPrintsUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, FlinkSipCli.run(new String[] {"help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: flink-sip"));
    }
}
