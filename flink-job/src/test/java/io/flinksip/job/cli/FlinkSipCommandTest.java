package io.flinksip.job.cli;

import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.weights.WeightStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlinkSipCommandTest {
    record Ran(int exit, String out, String err) {
    }

    static Ran cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = FlinkSipCommand.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));
        return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "eval", "generate", "experiment", "demo", "submit", "produce", "tail",
        "judge-server", "soak", "bench", "account", "options"})
    void everyCommandPrintsItsOwnHelpAndExitsZero(String command) {
        Ran r = cli(command, "--help");
        assertEquals(0, r.exit(), command + " --help failed: " + r.err());
        assertTrue(r.out().contains("Usage: flink-sip " + command), "the usage names the command:\n" + r.out());
        assertTrue(r.out().contains("--help"), r.out());
    }

    @Test
    void helpListsEveryCommandBenchIncluded() {
        for (String[] args : List.of(new String[] {"help"}, new String[] {"--help"})) {
            Ran r = cli(args);
            assertEquals(0, r.exit());
            for (String command : List.of("run", "eval", "generate", "experiment", "demo", "submit", "produce", "tail",
                    "judge-server", "soak", "bench", "account", "options")) {
                assertTrue(r.out().contains("  " + command + " "), command + " missing from:\n" + r.out());
            }
        }
        Ran runHelp = cli("help", "run");
        assertEquals(0, runHelp.exit());
        assertTrue(runHelp.out().contains("--resume"), "'help run' prints run's options:\n" + runHelp.out());
    }

    @Test
    void aMisspeltSipKeyFailsBeforeAnythingStartsAndNamesTheClosestKey(@TempDir Path dir) {
        Ran r = cli("run", "--work", dir.toString(), "-Dsip.tokenizer.pth=t.json");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown option sip.tokenizer.pth; did you mean sip.tokenizer.path?"), r.err());
        assertFalse(Files.exists(dir.resolve("world")), "nothing was generated");
        Ran far = cli("run", "-Dsip.nothing.like.this=1");
        assertEquals(2, far.exit());
        assertTrue(far.err().contains("unknown option sip.nothing.like.this") && far.err().contains("docs/options.md"),
                far.err());
    }

    @Test
    void aValueOfTheWrongTypeNamesTheOptionTheValueAndTheExpectedType() {
        Ran integer = cli("run", "-Dsip.segment.suffix-tokens=many");
        assertEquals(2, integer.exit());
        assertTrue(integer.err().contains("option sip.segment.suffix-tokens: 'many' is not an integer"),
                integer.err());
        Ran choice = cli("run", "-Dsip.sync.mode=FAST");
        assertEquals(2, choice.exit());
        assertTrue(choice.err().contains("option sip.sync.mode: 'FAST' is not one of LATEST STRICT"), choice.err());
        Ran flink = cli("run", "-Dparallelism.default=two");
        assertEquals(2, flink.exit());
        assertTrue(flink.err().contains("option parallelism.default: 'two' is not an integer"), flink.err());
    }

    @Test
    void aMisspeltFlinkKeyIsRefusedButPrefixFamiliesPassThrough() {
        Ran typo = cli("submit", "-Dstate.backend.typ=rocksdb");
        assertEquals(2, typo.exit());
        assertTrue(typo.err().contains("did you mean state.backend.type?"), typo.err());
        Ran reporter = cli("submit", "-Dmetrics.reporter.prom.port=9249");
        assertEquals(1, reporter.exit(), "the reporter key passes; submit then misses its input: " + reporter.err());
        assertTrue(reporter.err().contains("sip.input.path"), reporter.err());
    }

    @Test
    void unknownFlagsAndBadFlagValuesExitTwoWithTheCommandsHelpPointer() {
        Ran unknown = cli("demo", "--stpes", "3");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("'--stpes'"), unknown.err());
        assertTrue(unknown.err().contains("did you mean: --steps?"), unknown.err());
        assertTrue(unknown.err().contains("see: flink-sip demo --help"), unknown.err());
        Ran attached = cli("demo", "--steps=x");
        assertEquals(2, attached.exit(), "--flag=value is parsed like --flag value");
        assertTrue(attached.err().contains("'x' is not an int"), attached.err());
        Ran command = cli("fly");
        assertEquals(2, command.exit());
        assertTrue(command.err().contains("Unmatched argument at index 0: 'fly'"), command.err());
    }

    @Test
    void commonMistakesGiveOneLineWithoutAStackTrace(@TempDir Path dir) throws Exception {
        Ran input = cli("run", "--work", dir.toString(), "--input", dir.resolve("missing.jsonl").toString());
        assertEquals(2, input.exit());
        assertEquals(List.of("flink-sip run: input " + dir.resolve("missing.jsonl") + ": no such file or directory"),
                input.err().lines().toList());
        Ran tokenizer = cli("run", "--work", dir.toString(), "-Dsip.tokenizer.path=" + dir.resolve("none.json"));
        assertEquals(2, tokenizer.exit());
        assertEquals(1, tokenizer.err().lines().count(), tokenizer.err());
        Files.writeString(dir.resolve("bad.json"), "{\"model\": {}}");
        Ran unreadable = cli("run", "--work", dir.toString(), "-Dsip.tokenizer.path=" + dir.resolve("bad.json"));
        assertEquals(2, unreadable.exit());
        assertTrue(unreadable.err().startsWith("flink-sip run: sip.tokenizer.path=") && unreadable.err().lines()
                .count() == 1, unreadable.err());
        WeightStore store = new WeightStore(dir.resolve("weights").toString());
        LlamaConfig config = LlamaConfig.tiny(64, 0);
        LinkedHashMap<String, float[]> weights = LlamaModel.initialWeights(config, 1);
        store.publish("ns-0", 1, 1, config, List.copyOf(weights.keySet()), weights.values().toArray(new float[0][]),
                null);
        Path version = Path.of(store.versionPath("ns-0", 1));
        Ran generate = cli("generate", "--model", version.toString(), "--prompt", "x");
        assertEquals(2, generate.exit());
        assertTrue(generate.err().contains("has no tokenizer.json") && generate.err().contains("--tokenizer"),
                generate.err());
        Ran resume = cli("run", "--work", dir.toString(), "--resume", dir.resolve("savepoints/nope").toString());
        assertEquals(2, resume.exit());
        assertTrue(resume.err().contains("no such savepoint or checkpoint"), resume.err());
    }

    @Test
    void aSavepointPathIsCheckedAsFlinkWillReadIt(@TempDir Path dir) throws Exception {
        Path savepoint = Files.createDirectories(dir.resolve("my work/savepoints/savepoint-1"));
        assertEquals(java.util.Optional.of(true), RunPreflight.flinkPathExists(savepoint.toString()));
        assertEquals(java.util.Optional.of(true), RunPreflight.flinkPathExists("file:" + savepoint));
        assertEquals(java.util.Optional.of(false), RunPreflight.flinkPathExists("file:" + dir.resolve("nope")));
        assertEquals(java.util.Optional.empty(), RunPreflight.flinkPathExists("s3://bucket/savepoints/sp-1"),
                "a file system only the cluster has is not judged here");
    }

    @Test
    void openAiJudgingWithoutEndpointsIsRefusedBeforeTheJobStarts(@TempDir Path dir) {
        Ran r = cli("run", "--docs", "20", "--work", dir.toString(), "-Dsip.judge.backend=OPENAI",
                "-Dsip.llm.safety.base-url=http://localhost:1/v1", "-Dsip.llm.model=m");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("needs an endpoint for sip.llm.quality.base-url")
                && r.err().contains("sip.llm.factuality.base-url") && r.err().contains("sip.llm.rewriter.base-url")
                && !r.err().contains("sip.llm.safety.base-url"), r.err());
        assertFalse(Files.exists(dir.resolve("checkpoints")), "no job ran");
    }

    @Test
    void aFailureIsOneLineUnlessVerbose() {
        Ran quiet = cli("submit", "-Dsip.mode=NTP");
        assertEquals(1, quiet.exit());
        assertTrue(quiet.err().startsWith("flink-sip submit failed: set sip.input.path"), quiet.err());
        assertFalse(quiet.err().contains("\tat "), "no stack trace without --verbose:\n" + quiet.err());
        Ran verbose = cli("submit", "--verbose", "-Dsip.mode=NTP");
        assertEquals(1, verbose.exit());
        assertTrue(verbose.err().contains("\tat "), "--verbose prints the stack trace:\n" + verbose.err());
    }

    @Test
    void theResumeCommandRepeatsTheRunsOwnOptions() {
        assertEquals("./flink-sip run --work 'my work' -Dsip.sync.mode=STRICT --resume file:/w/savepoints/sp-1",
                RunCommand.resumeCommand(List.of("run", "--work", "my work", "--resume", "latest",
                        "-Dsip.sync.mode=STRICT"), "file:/w/savepoints/sp-1"));
        assertEquals("./flink-sip run --resume /sp", RunCommand.resumeCommand(List.of(), "/sp"),
                "the default command");
        assertEquals("./flink-sip run --mode ntp --resume /sp",
                RunCommand.resumeCommand(List.of("run", "--resume=/old", "--mode", "ntp"), "/sp"));
    }
}
