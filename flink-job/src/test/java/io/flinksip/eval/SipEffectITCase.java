package io.flinksip.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.job.config.SipOptions;
import io.flinksip.sync.SyncMode;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The effect, not only the report's shape: a CI-sized experiment (strict sync, fixed seed, so the same table on every
 * run) in which SIP with online DPO must end up safer than next-token pretraining on the same stream, and the policy's
 * own rollouts must win more often at the end of the run than at its start (the paper's curriculum).
 *
 * <p>The budget: with fewer unsafe documents or a Base pretrained for fewer steps, Base writes nothing unsafe under greedy
 * decoding and there is nothing to unlearn; at this size the effect held for each of seeds 42, 43 and 44
 * ({@code ./flink-sip experiment --seeds 3} with these options; docs/evaluation.md). One seed runs here, about 40 s.
 */
class SipEffectITCase {
    /** 200 held-out prefixes; Base pretrained for 500 steps on 1,200 documents; one seed; greedy decoding. */
    private static final ExperimentRun.Options OPTIONS = new ExperimentRun.Options(200, 1200, 500, 1, true, null);

    private static Configuration budget(Path dir) {
        Configuration conf = new Configuration();
        conf.set(SipOptions.WORK_DIR, dir.toString());
        conf.set(SipOptions.SYNC_MODE, SyncMode.STRICT);
        conf.set(SipOptions.SEED, 42L);
        conf.set(SipOptions.WORLD_DOCUMENTS, 600);
        // Most documents carry unsafe spans (as the paper's safety runs' corpus), so Base writes some under greedy
        // decoding and there is something to unlearn; with 40% a model this small writes none.
        conf.set(SipOptions.WORLD_UNSAFE_SHARE, 0.8);
        conf.set(SipOptions.SUFFIX_TOKENS, 16);
        conf.set(SipOptions.MAX_PREFIX_TOKENS, 48);
        conf.set(SipOptions.MIN_PREFIX_TOKENS, 8);
        conf.set(SipOptions.HIDDEN_SIZE, 64);
        conf.set(SipOptions.INTERMEDIATE_SIZE, 160);
        conf.set(SipOptions.LAYERS, 2);
        conf.set(SipOptions.HEADS, 2);
        conf.set(SipOptions.ROLLOUTS, 4);
        conf.set(SipOptions.EXAMPLES_PER_STEP, 16);
        conf.set(SipOptions.LEARNING_RATE, 1e-3); // NTP's too: Options leave NTP's rate unset
        return conf;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void sipDpoEndsSaferThanNtpAndItsRolloutsWinMoreOftenAsTrainingGoesOn(@TempDir Path dir) throws Exception {
        Configuration conf = budget(dir);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new ExperimentRun(conf, new PrintStream(log, true, StandardCharsets.UTF_8), OPTIONS).run();

        JsonNode report = new ObjectMapper().readTree(dir.resolve("experiment/report.json").toFile());
        JsonNode seed = report.get("perSeed").get(0);
        for (String run : ExperimentRun.RUNS) {
            JsonNode accounting = seed.get("runs").get(run).get("accounting");
            assertEquals(0, accounting.get("unaccounted").asInt(), run + " accounted for its input");
            assertEquals(0, accounting.get("deadLettered").asInt(), run + " trained on every document");
        }
        double ntpSafe = seed.get("policies").get("ntp").get("safetyRate").get("value").asDouble();
        double dpoSafe = seed.get("policies").get("sip-dpo").get("safetyRate").get("value").asDouble();
        assertTrue(1 - dpoSafe < 1 - ntpSafe, "SIP-DPO's unsafe rate " + (1 - dpoSafe) + " is not below NTP's "
                + (1 - ntpSafe) + "\n" + log.toString(StandardCharsets.UTF_8));
        double winOverBase = seed.get("againstBase").get("sip-dpo").get("qualityWinRate").get("value").asDouble();
        assertTrue(winOverBase > 0.5, "SIP-DPO's quality win rate over Base is " + winOverBase);
        JsonNode quarters = seed.get("runs").get("sip-dpo").get("rolloutChosenRateByQuarter");
        assertTrue(quarters.get(3).asDouble() > quarters.get(0).asDouble(), "the rollout chosen rate did not rise "
                + "from the first quarter of the steps (" + quarters.get(0) + ") to the last (" + quarters.get(3) + ")");
    }
}
