package io.flinksip.job.config;

import io.flinksip.judge.panel.PanelConfig;
import io.flinksip.model.WeightPrecision;
import io.flinksip.segment.SegmentConfig;
import io.flinksip.sync.SyncMode;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/**
 * Every option of the flink-sip job, typed, with its default and description, in one place. Set them in a Flink
 * {@code config.yaml}, with {@code -Dkey=value} on the command line, or through the runner's flags. The options table
 * in docs/options.md is generated from this class ({@code OptionsDocs}).
 */
public final class SipOptions {
    private SipOptions() {
    }

    /** What the job trains. */
    public enum Mode {
        /** Self-improving pretraining: rewrites, rollouts, judges, DPO or RF-NLL. */
        SIP,
        /** Next-token pretraining on the same stream: the baseline. */
        NTP
    }

    /** The SIP update rule. */
    public enum SipObjective {
        DPO,
        RF_NLL
    }

    /** Where judgements come from. */
    public enum JudgeBackend {
        /** The built-in reference judges over the generated world (lexicon and fact-table based). */
        REFERENCE,
        /** OpenAI-compatible LLM endpoints (vLLM, SGLang, TGI, Ollama, ...), configured under sip.llm.*. */
        OPENAI
    }

    // ---- job ------------------------------------------------------------------------------------------------

    public static final ConfigOption<Mode> MODE = ConfigOptions.key("sip.mode").enumType(Mode.class)
            .defaultValue(Mode.SIP).withDescription("SIP (self-improving pretraining) or NTP (next-token baseline).");

    public static final ConfigOption<SipObjective> OBJECTIVE = ConfigOptions.key("sip.objective")
            .enumType(SipObjective.class).defaultValue(SipObjective.DPO)
            .withDescription("SIP update rule: DPO (chosen = top, rejected = bottom) or RF_NLL (NLL on the top).");

    public static final ConfigOption<String> WORK_DIR = ConfigOptions.key("sip.work-dir").stringType()
            .defaultValue("work").withDescription("Directory for the embedded run's generated corpus, tokenizer, "
                    + "weights, exports, outputs and checkpoints.");

    // ---- input ----------------------------------------------------------------------------------------------

    public static final ConfigOption<String> INPUT_PATH = ConfigOptions.key("sip.input.path").stringType()
            .noDefaultValue().withDescription("JSONL file or directory of JSONL files (plain or .gz), one "
                    + "{\"id\", \"text\", \"timestamp\", \"attributes\"} object per line. Unset: the embedded run "
                    + "generates the reference world's corpus.");

    public static final ConfigOption<Integer> WORLD_DOCUMENTS = ConfigOptions.key("sip.world.documents").intType()
            .defaultValue(2000).withDescription("Training documents of the generated reference world (used when no "
                    + "input path is set); the held-out split has a tenth as many.");

    public static final ConfigOption<Double> WORLD_UNSAFE_SHARE = ConfigOptions.key("sip.world.unsafe-share")
            .doubleType().defaultValue(0.10).withDescription("Share of generated documents with unsafe spans (the "
                    + "paper's safety runs use a corpus filtered to unsafe documents).");

    public static final ConfigOption<Double> WORLD_FALSE_SHARE = ConfigOptions.key("sip.world.false-share")
            .doubleType().defaultValue(0.15).withDescription("Share of generated documents with false statements.");

    public static final ConfigOption<Long> WORLD_SEED = ConfigOptions.key("sip.world.seed").longType().noDefaultValue()
            .withDescription("Seed of the generated reference world (its lexicon, fact table and documents); the "
                    + "reference judges must use the world the corpus came from. Unset: sip.seed. Set it when runs "
                    + "over one corpus use different sip.seed values, as the experiment's repetitions do.");

    public static final ConfigOption<Duration> INPUT_MONITOR_INTERVAL = ConfigOptions.key("sip.input.monitor-interval")
            .durationType().defaultValue(Duration.ZERO).withDescription("Watch the input directory for new files at "
                    + "this interval (an unbounded job). 0: read what is there and finish.");

    public static final ConfigOption<Integer> INPUT_MAX_LINE_BYTES = ConfigOptions.key("sip.input.max-line-bytes")
            .intType().defaultValue(4 << 20).withDescription("Longer lines are dead-lettered as oversized_document "
                    + "without being read into memory.");

    public static final ConfigOption<String> TOKENIZER_PATH = ConfigOptions.key("sip.tokenizer.path").stringType()
            .noDefaultValue().withDescription("Hugging Face tokenizer.json. Unset: the embedded run trains a "
                    + "byte-level BPE tokenizer on the corpus.");

    public static final ConfigOption<io.flinksip.tokenizer.TokenizerBackend> TOKENIZER_BACKEND = ConfigOptions
            .key("sip.tokenizer.backend").enumType(io.flinksip.tokenizer.TokenizerBackend.class)
            .defaultValue(io.flinksip.tokenizer.TokenizerBackend.AUTO).withDescription("Which implementation "
                    + "tokenizes: PURE_JAVA (byte-level BPE files, what the trainer writes, GPT-2 style), "
                    + "HUGGING_FACE_NATIVE (the Hugging Face tokenizers library bundled in the job: any tokenizer.json, "
                    + "SentencePiece-style Llama tokenizers included) or AUTO (pure Java when the file is byte-level "
                    + "BPE, else native).");

    // ---- segment --------------------------------------------------------------------------------------------

    public static final ConfigOption<Integer> SUFFIX_TOKENS = ConfigOptions.key("sip.segment.suffix-tokens").intType()
            .defaultValue(32).withDescription("N, the suffix length in tokens (the paper: 128; the tiny default "
                    + "uses 32).");

    public static final ConfigOption<Integer> MAX_PREFIX_TOKENS = ConfigOptions.key("sip.segment.max-prefix-tokens")
            .intType().defaultValue(96).withDescription("Prefixes keep at most their last this many tokens (the "
                    + "paper: 1,920).");

    public static final ConfigOption<Integer> MIN_PREFIX_TOKENS = ConfigOptions.key("sip.segment.min-prefix-tokens")
            .intType().defaultValue(16).withDescription("Documents shorter than this plus the suffix are "
                    + "dead-lettered as too_short.");

    public static final ConfigOption<SegmentConfig.SplitPolicy> SPLIT_POLICY = ConfigOptions.key("sip.segment.split")
            .enumType(SegmentConfig.SplitPolicy.class).defaultValue(SegmentConfig.SplitPolicy.RANDOM_ONE)
            .withDescription("RANDOM_ONE: one seeded random split per document (the paper); EVERY_CHUNK: a sample at "
                    + "every suffix-length boundary.");

    public static final ConfigOption<Integer> MAX_DOCUMENT_CHARS = ConfigOptions.key("sip.segment.max-document-chars")
            .intType().defaultValue(1_000_000).withDescription("Longer documents are dead-lettered as "
                    + "oversized_document.");

    public static final ConfigOption<Long> SEED = ConfigOptions.key("sip.seed").longType().defaultValue(42L)
            .withDescription("Seeds split points, rollouts and the initial policy.");

    // ---- rewrite, rollout, judge ----------------------------------------------------------------------------

    public static final ConfigOption<Boolean> REWRITE = ConfigOptions.key("sip.rewrite.enabled").booleanType()
            .defaultValue(true).withDescription("Add a rewritten suffix to each candidate set.");

    public static final ConfigOption<Boolean> TRAIN_ON_SUFFIX = ConfigOptions.key("sip.reward.train-on-suffix")
            .booleanType().defaultValue(true).withDescription("Whether the original suffix may be the chosen or "
                    + "rejected candidate. false: it is still judged (factuality reference, pivot) but pairs are "
                    + "formed from the rewrite and rollouts only.");

    public static final ConfigOption<Integer> ROLLOUTS = ConfigOptions.key("sip.rollout.count").intType()
            .defaultValue(4).withDescription("K, policy rollouts per prefix (the paper: 16 continual, 1 from "
                    + "scratch).");

    public static final ConfigOption<Double> ROLLOUT_TEMPERATURE = ConfigOptions.key("sip.rollout.temperature")
            .doubleType().defaultValue(1.0).withDescription("Sampling temperature of rollouts (the paper: 1.0).");

    public static final ConfigOption<Double> ROLLOUT_TOP_P = ConfigOptions.key("sip.rollout.top-p").doubleType()
            .defaultValue(1.0).withDescription("Nucleus mass of rollouts (the paper: 1.0).");

    public static final ConfigOption<Integer> ROLLOUT_MICRO_BATCH = ConfigOptions.key("sip.rollout.micro-batch")
            .intType().defaultValue(8).withDescription("Prefixes generated together in one batched pass.");

    public static final ConfigOption<WeightPrecision> ROLLOUT_PRECISION = ConfigOptions
            .key("sip.rollout.precision").enumType(WeightPrecision.class).defaultValue(WeightPrecision.FLOAT32)
            .withDescription("What each rollout replica holds the policy's weight matrices in. FLOAT32: exactly "
                    + "the learner's numbers. FLOAT16: converted while loading each version (the learner still trains "
                    + "and publishes float32), half the replica's weight memory; the residual stream, norms, "
                    + "attention, KV cache and logits stay float32. Samples then differ from FLOAT32's by rounding; "
                    + "strict mode replays them bit-identically all the same. (bfloat16 is not offered: DJL 0.36's "
                    + "PyTorch bindings cannot make bfloat16 tensors.)");

    public static final ConfigOption<Duration> ROLLOUT_FLUSH_INTERVAL = ConfigOptions
            .key("sip.rollout.flush-interval").durationType().defaultValue(Duration.ofMillis(200))
            .withDescription("A partial micro-batch waits at most this long.");

    public static final ConfigOption<JudgeBackend> JUDGE_BACKEND = ConfigOptions.key("sip.judge.backend")
            .enumType(JudgeBackend.class).defaultValue(JudgeBackend.REFERENCE).withDescription("REFERENCE "
                    + "(built-in judges over the generated world) or OPENAI (endpoints under sip.llm.*).");

    public static final ConfigOption<PanelConfig.QualityMode> QUALITY_MODE = ConfigOptions
            .key("sip.judge.quality-mode").enumType(PanelConfig.QualityMode.class)
            .defaultValue(PanelConfig.QualityMode.ALL_PAIRS).withDescription("ALL_PAIRS (the paper), PIVOT (each "
                    + "candidate against the suffix only), or OFF.");

    public static final ConfigOption<Boolean> BOTH_ORDERS = ConfigOptions.key("sip.judge.both-orders").booleanType()
            .defaultValue(false).withDescription("Judge each pair in both orders to cancel position bias.");

    public static final ConfigOption<Integer> JUDGE_REPEATS = ConfigOptions.key("sip.judge.repeats").intType()
            .defaultValue(1).withDescription("Judgements per comparison and per pointwise criterion, averaged.");

    public static final ConfigOption<Double> QUALITY_WEIGHT = ConfigOptions.key("sip.judge.weight.quality")
            .doubleType().defaultValue(1.0).withDescription("Weight of the quality win rate in the reward.");

    public static final ConfigOption<Double> SAFETY_WEIGHT = ConfigOptions.key("sip.judge.weight.safety").doubleType()
            .defaultValue(1.0).withDescription("Weight of the safety score in the reward (0: not judged).");

    public static final ConfigOption<Double> FACTUALITY_WEIGHT = ConfigOptions.key("sip.judge.weight.factuality")
            .doubleType().defaultValue(1.0).withDescription("Weight of the factuality score in the reward (0: not "
                    + "judged).");

    public static final ConfigOption<Duration> JUDGE_TIMEOUT = ConfigOptions.key("sip.judge.timeout").durationType()
            .defaultValue(Duration.ofMinutes(5)).withDescription("A candidate set not judged within this time "
                    + "(retries included) is dead-lettered as judge_timeout.");

    public static final ConfigOption<Integer> JUDGE_CAPACITY = ConfigOptions.key("sip.judge.capacity").intType()
            .defaultValue(64).withDescription("Candidate sets in flight per judge subtask (async I/O capacity: "
                    + "beyond it the stage back-pressures).");

    public static final ConfigOption<String> PROMPT_DIR = ConfigOptions.key("sip.judge.prompt-dir").stringType()
            .noDefaultValue().withDescription("Directory with prompt templates (quality.txt, safety.txt, "
                    + "factuality.txt, rewrite.txt) overriding the bundled ones.");

    // ---- learner --------------------------------------------------------------------------------------------

    public static final ConfigOption<Integer> EXAMPLES_PER_STEP = ConfigOptions.key("sip.learner.examples-per-step")
            .intType().defaultValue(16).withDescription("Training examples per optimizer step (the global batch; "
                    + "the paper: 256).");

    public static final ConfigOption<Boolean> LEARNER_STATE_BY_REFERENCE = ConfigOptions
            .key("sip.learner.state-by-reference").booleanType().defaultValue(true).withDescription("Checkpoints "
                    + "reference the learner's weights, optimizer moments and DPO reference in immutable files under "
                    + "<sip.weights.dir>/_learner-state/<job id>, written off the task thread (the checkpoint "
                    + "completes once they are), instead of holding them: a checkpoint then costs the learner no "
                    + "copy of its state and stores the frozen reference once. Files no retained checkpoint "
                    + "references are deleted. Savepoints always hold the state themselves, so they stand alone. "
                    + "false: every checkpoint holds the whole state (as before 0.2).");

    public static final ConfigOption<Integer> MAX_STALENESS = ConfigOptions.key("sip.learner.max-staleness").intType()
            .defaultValue(4).withDescription("S, the staleness bound of LATEST sync: samples of step window w wait "
                    + "before the rollouts until version w - S is published, so no example is more than S versions "
                    + "older than the step that trains it. Nothing is dropped: the samples wait instead.");

    // ---- weight sync and step windows ----------------------------------------------------------------------

    public static final ConfigOption<SyncMode> SYNC_MODE = ConfigOptions.key("sip.sync.mode").enumType(SyncMode.class)
            .defaultValue(SyncMode.LATEST).withDescription("LATEST: rollouts use the newest policy version, staleness "
                    + "bounded by flow control (sip.learner.max-staleness); samples are numbered in arrival order. "
                    + "STRICT: samples are numbered in source order per shard (files are read by one reader in path "
                    + "order), step window w is trained from exactly the samples numbered into it, and its rollouts use "
                    + "exactly version w - sip.sync.lag: a replay after a failure or a resume ends with bit-identical "
                    + "weights.");

    public static final ConfigOption<Integer> SYNC_LAG = ConfigOptions.key("sip.sync.lag").intType().defaultValue(1)
            .withDescription("L, for STRICT sync: the rollouts of step window w use version w - L. 0 is fully "
                    + "synchronous (generation waits for every step); 1 lets window w be generated while window w - 1 "
                    + "trains. sip.weights.retain must exceed L + 1.");

    public static final ConfigOption<Integer> SYNC_SHARDS = ConfigOptions.key("sip.sync.shards").intType()
            .defaultValue(1).withDescription("Ordered input shards of STRICT sync with Kafka input: the number of "
                    + "partitions of the input topic (each partition is a shard and contributes examples-per-step / "
                    + "shards samples to every step). File input and LATEST sync use one shard.");

    public static final ConfigOption<Duration> SYNC_POLL_INTERVAL = ConfigOptions.key("sip.sync.poll-interval")
            .durationType().defaultValue(Duration.ofMillis(50)).withDescription("How often samples waiting for a "
                    + "policy version look for it in the weight store.");

    public static final ConfigOption<Duration> SYNC_IDLE_CLOSE = ConfigOptions.key("sip.sync.idle-close")
            .durationType().defaultValue(Duration.ofSeconds(10)).withDescription("LATEST sync: when the input has "
                    + "delivered nothing for this long and the last step window is only partly filled, the window "
                    + "closes with the samples it has, so a monitored directory or a quiet topic does not hold them "
                    + "until more input arrives. 0: never. STRICT sync never closes a window early (which samples "
                    + "form a step must not depend on timing): it waits.");

    public static final ConfigOption<Integer> SYNC_CAPACITY = ConfigOptions.key("sip.sync.capacity").intType()
            .defaultValue(0).withDescription("Samples that may wait for their policy version at one sequence "
                    + "subtask; beyond it the stage stops reading input (back-pressure to the source) until versions "
                    + "arrive. 0: two step windows (2 x examples-per-step); no limit in STRICT sync with Kafka input, "
                    + "where the source's partition alignment bounds what waits.");

    public static final ConfigOption<Double> LEARNING_RATE = ConfigOptions.key("sip.learner.learning-rate")
            .doubleType().defaultValue(1e-3).withDescription("Peak learning rate (warmup, then cosine to 10%).");

    public static final ConfigOption<Integer> WARMUP_STEPS = ConfigOptions.key("sip.learner.warmup-steps").intType()
            .defaultValue(10).withDescription("Linear warmup steps.");

    public static final ConfigOption<Integer> TOTAL_STEPS = ConfigOptions.key("sip.learner.schedule-steps").intType()
            .defaultValue(1000).withDescription("Length of the cosine schedule in steps.");

    public static final ConfigOption<Double> DPO_BETA = ConfigOptions.key("sip.learner.dpo-beta").doubleType()
            .defaultValue(0.1).withDescription("DPO beta.");

    public static final ConfigOption<Integer> DPO_SYNC_EVERY = ConfigOptions.key("sip.learner.dpo-reference-sync")
            .intType().defaultValue(0).withDescription("Copy the policy into the DPO reference every this many "
                    + "steps; 0 keeps the initial policy as a frozen reference.");

    public static final ConfigOption<Double> DPO_NLL_WEIGHT = ConfigOptions.key("sip.learner.dpo-nll-weight")
            .doubleType().defaultValue(0.0).withDescription("Weight of an NLL term on the chosen continuation.");

    public static final ConfigOption<Integer> EXPORT_EVERY = ConfigOptions.key("sip.learner.export-every").intType()
            .defaultValue(50).withDescription("Export a Hugging Face checkpoint every this many steps (and at the "
                    + "end of a bounded input); 0: only at the end.");

    public static final ConfigOption<String> INIT_CHECKPOINT = ConfigOptions.key("sip.learner.init-checkpoint")
            .stringType().noDefaultValue().withDescription("Hugging Face Llama checkpoint directory to start from "
                    + "(continual pretraining). Unset: a fresh tiny model.");

    public static final ConfigOption<ModelPreset> MODEL_PRESET = ConfigOptions.key("sip.model.preset")
            .enumType(ModelPreset.class).defaultValue(ModelPreset.TINY).withDescription("Shape of a fresh model: "
                    + "TINY (d 128, 4 layers, ~1.1 M parameters), SMALL (d 256, 6 layers, ~5.6 M), BASE (d 512, 8 "
                    + "layers, ~28 M), M100 (d 768, 12 layers, ~94 M), with a 2,048-token vocabulary. The sip.model.* options below override single "
                    + "dimensions.");

    public static final ConfigOption<Integer> HIDDEN_SIZE = ConfigOptions.key("sip.model.hidden-size").intType()
            .noDefaultValue().withDescription("Width of a fresh model (default: the preset's).");

    public static final ConfigOption<Integer> LAYERS = ConfigOptions.key("sip.model.layers").intType()
            .noDefaultValue().withDescription("Decoder blocks of a fresh model (default: the preset's).");

    public static final ConfigOption<Integer> HEADS = ConfigOptions.key("sip.model.heads").intType()
            .noDefaultValue().withDescription("Attention heads of a fresh model (default: the preset's).");

    public static final ConfigOption<Integer> INTERMEDIATE_SIZE = ConfigOptions.key("sip.model.intermediate-size")
            .intType().noDefaultValue().withDescription("SwiGLU width of a fresh model (default: the preset's).");

    // ---- parallelism ----------------------------------------------------------------------------------------

    public static final ConfigOption<Integer> ROLLOUT_PARALLELISM = ConfigOptions.key("sip.rollout.parallelism")
            .intType().defaultValue(1).withDescription("Rollout subtasks (each holds a policy replica).");

    public static final ConfigOption<Integer> JUDGE_PARALLELISM = ConfigOptions.key("sip.judge.parallelism").intType()
            .defaultValue(1).withDescription("Judge subtasks.");

    // ---- outputs --------------------------------------------------------------------------------------------

    public static final ConfigOption<String> OUTPUT_PATH = ConfigOptions.key("sip.output.path").stringType()
            .noDefaultValue().withDescription("Directory for policy-updates/, dead-letters/ (and examples/) as "
                    + "JSON lines through exactly-once file sinks. Unset: <work-dir>/output.");

    public static final ConfigOption<Boolean> OUTPUT_EXAMPLES = ConfigOptions.key("sip.output.examples").booleanType()
            .defaultValue(false).withDescription("Also write the judged training examples.");

    public static final ConfigOption<String> WEIGHTS_DIR = ConfigOptions.key("sip.weights.dir").stringType()
            .noDefaultValue().withDescription("Weight store (any Flink file system) the learner publishes to and "
                    + "rollouts read from. Unset: <work-dir>/weights.");

    public static final ConfigOption<Integer> RETAIN_VERSIONS = ConfigOptions.key("sip.weights.retain").intType()
            .defaultValue(4).withDescription("Policy versions kept in the weight store (older ones are deleted).");

    public static final ConfigOption<Integer> PUBLISH_EVERY = ConfigOptions.key("sip.weights.publish-every").intType()
            .defaultValue(1).withDescription("P: the learner publishes every P-th version to the rollouts (and the "
                    + "last one), so a large model's weight traffic is paid once per P steps. LATEST sync only, and "
                    + "at most sip.learner.max-staleness + 1: the rollouts of window w wait for version w - S, and "
                    + "the newest published version is at most P - 1 behind. Strict mode needs every version.");

    public static final ConfigOption<String> EXPORT_DIR = ConfigOptions.key("sip.export.dir").stringType()
            .noDefaultValue().withDescription("Where Hugging Face checkpoints are exported. Unset: "
                    + "<work-dir>/export.");
}
