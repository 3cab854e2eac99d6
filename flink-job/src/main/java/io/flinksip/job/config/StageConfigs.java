package io.flinksip.job.config;

import io.flinksip.backend.JudgeBackendFactory;
import io.flinksip.backend.ReferenceBackendFactory;
import io.flinksip.backend.openai.OpenAiBackendFactory;
import io.flinksip.job.kafka.KafkaOptions;
import io.flinksip.judge.panel.PanelConfig;
import io.flinksip.learn.DpoConfig;
import io.flinksip.learn.Exporting;
import io.flinksip.learn.LearnerConfig;
import io.flinksip.learn.OptimizerConfig;
import io.flinksip.learn.Publishing;
import io.flinksip.learn.TrainerConfig;
import io.flinksip.learn.TrainerStateCodec;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.SamplingConfig;
import io.flinksip.rollout.RolloutConfig;
import io.flinksip.schema.Objective;
import io.flinksip.segment.SegmentConfig;
import io.flinksip.sync.AdmissionRule;
import io.flinksip.sync.SequenceConfig;
import io.flinksip.sync.StepWindows;
import io.flinksip.sync.SyncMode;
import io.flinksip.sync.VerdictLog;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenizerJson;
import io.flinksip.weights.WeightStore;
import io.flinksip.world.WorldConfig;
import org.apache.flink.configuration.Configuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every stage's typed configuration from one Flink {@link Configuration}: the one place {@code sip.*} options are
 * translated (in the manner of the Kubernetes operator's {@code FlinkOperatorConfiguration.fromConfiguration}).
 * {@code run}, {@code submit}, {@code eval}, {@code experiment}, {@code soak} and the benchmarks all build their stages
 * from it, so the same options mean the same stages everywhere.
 */
public final class StageConfigs {
    private final Configuration conf;

    private StageConfigs(Configuration conf) {
        this.conf = conf;
    }

    public static StageConfigs fromConfiguration(Configuration conf) {
        return new StageConfigs(conf);
    }

    public Configuration configuration() {
        return conf;
    }

    /** The training objective: NTP in next-token mode, else the SIP objective (the one enum past this point). */
    public Objective objective() {
        if (conf.get(SipOptions.MODE) == SipOptions.Mode.NTP) {
            return Objective.NTP;
        }
        return conf.get(SipOptions.OBJECTIVE) == SipOptions.SipObjective.DPO ? Objective.DPO : Objective.RF_NLL;
    }

    public SegmentConfig segment() {
        return new SegmentConfig(conf.get(SipOptions.SUFFIX_TOKENS), conf.get(SipOptions.MAX_PREFIX_TOKENS),
                conf.get(SipOptions.MIN_PREFIX_TOKENS), conf.get(SipOptions.SPLIT_POLICY),
                conf.get(SipOptions.MAX_DOCUMENT_CHARS), conf.get(SipOptions.SEED));
    }

    /** Step windows: examples-per-step samples, over the Kafka partitions in strict mode. */
    public StepWindows stepWindows() {
        boolean partitioned = conf.get(SipOptions.SYNC_MODE) == SyncMode.STRICT && KafkaOptions.kafkaInput(conf);
        return StepWindows.of(conf.get(SipOptions.EXAMPLES_PER_STEP), partitioned ? conf.get(SipOptions.SYNC_SHARDS)
                : 1);
    }

    /** The staleness bound of the sync mode: S in latest mode, the lag L in strict mode. */
    public int stalenessBound() {
        return conf.get(SipOptions.SYNC_MODE) == SyncMode.STRICT ? conf.get(SipOptions.SYNC_LAG)
                : conf.get(SipOptions.MAX_STALENESS);
    }

    /** P of {@link SipOptions#PUBLISH_EVERY}, checked against the sync mode and the staleness bound. */
    public int publishEvery() {
        int every = conf.get(SipOptions.PUBLISH_EVERY);
        if (every < 1) {
            throw new IllegalArgumentException(SipOptions.PUBLISH_EVERY.key() + " must be at least 1, not " + every);
        }
        if (every > 1 && conf.get(SipOptions.MODE) != SipOptions.Mode.NTP) {
            if (conf.get(SipOptions.SYNC_MODE) == SyncMode.STRICT) {
                throw new IllegalArgumentException(SipOptions.PUBLISH_EVERY.key() + "=" + every + " needs "
                        + SipOptions.SYNC_MODE.key() + "=LATEST: strict mode's rollouts of window w use exactly "
                        + "version w - " + SipOptions.SYNC_LAG.key() + ", so every version must be published");
            }
            int staleness = conf.get(SipOptions.MAX_STALENESS);
            if (every > staleness + 1) {
                throw new IllegalArgumentException(SipOptions.PUBLISH_EVERY.key() + " (" + every + ") must be at "
                        + "most " + SipOptions.MAX_STALENESS.key() + " + 1 (" + (staleness + 1) + "): the rollouts "
                        + "of window w wait for version w - S, which would otherwise never be published");
            }
        }
        return every;
    }

    /**
     * How far (in records) one partition of a strict-mode Kafka input may run ahead of the slowest: four windows'
     * share. The sequence stage holds at most that much of every partition, so it needs no capacity limit of its own.
     */
    public long maxShardDrift() {
        return 4L * stepWindows().perShard();
    }

    public SequenceConfig sequence(String weightsDir) {
        SipOptions.Mode mode = conf.get(SipOptions.MODE);
        AdmissionRule rule = mode == SipOptions.Mode.NTP ? AdmissionRule.none()
                : conf.get(SipOptions.SYNC_MODE) == SyncMode.STRICT
                ? AdmissionRule.strict(conf.get(SipOptions.SYNC_LAG))
                : AdmissionRule.latest(conf.get(SipOptions.MAX_STALENESS));
        if (rule.mode() == SyncMode.STRICT && conf.get(SipOptions.RETAIN_VERSIONS) < rule.lag() + 2) {
            throw new IllegalArgumentException(SipOptions.RETAIN_VERSIONS.key() + " (" + conf.get(
                    SipOptions.RETAIN_VERSIONS) + ") must be at least " + SipOptions.SYNC_LAG.key() + " + 2 ("
                    + (rule.lag() + 2) + "): the rollouts of strict mode read versions up to the lag behind");
        }
        int capacity = conf.get(SipOptions.SYNC_CAPACITY);
        if (capacity <= 0) {
            boolean aligned = conf.get(SipOptions.SYNC_MODE) == SyncMode.STRICT && KafkaOptions.kafkaInput(conf);
            // Back-pressure at the sequence stage holds up every shard at once: with several shards the source's
            // alignment bounds what waits instead, and blocking could starve the shard a window is waiting for.
            capacity = aligned ? Integer.MAX_VALUE : 2 * stepWindows().size();
        }
        return new SequenceConfig(stepWindows(), rule, weightsDir, conf.get(SipOptions.SYNC_POLL_INTERVAL).toMillis(),
                capacity, rule.mode() == SyncMode.LATEST ? conf.get(SipOptions.SYNC_IDLE_CLOSE).toMillis() : 0);
    }

    public RolloutConfig rollout(String weightsDir, String tokenizerJson) {
        return new RolloutConfig(conf.get(SipOptions.ROLLOUTS),
                new SamplingConfig(conf.get(SipOptions.SUFFIX_TOKENS), conf.get(SipOptions.ROLLOUT_TEMPERATURE),
                        conf.get(SipOptions.ROLLOUT_TOP_P), 0, true),
                conf.get(SipOptions.SEED), conf.get(SipOptions.ROLLOUT_MICRO_BATCH),
                conf.get(SipOptions.ROLLOUT_FLUSH_INTERVAL).toMillis(), weightsDir, Duration.ofMinutes(5).toMillis(),
                tokenizerJson, conf.get(SipOptions.TOKENIZER_BACKEND), conf.get(SipOptions.SYNC_MODE),
                stepWindows(), conf.get(SipOptions.ROLLOUT_PRECISION));
    }

    public PanelConfig panel() {
        int repeats = conf.get(SipOptions.JUDGE_REPEATS);
        return new PanelConfig(conf.get(SipOptions.QUALITY_MODE), conf.get(SipOptions.BOTH_ORDERS), repeats, repeats,
                repeats, conf.get(SipOptions.QUALITY_WEIGHT), conf.get(SipOptions.SAFETY_WEIGHT),
                conf.get(SipOptions.FACTUALITY_WEIGHT));
    }

    /** A fresh model's shape: the preset, single dimensions overridden, positions for prefix + longest continuation. */
    public LlamaConfig model(String tokenizerJson) {
        try (TextTokenizer tokenizer = TokenizerJson.load(tokenizerJson, conf.get(SipOptions.TOKENIZER_BACKEND))) {
            // prefix + the longest continuation trained on: a rewrite may be up to twice the suffix length
            int maxPositions = conf.get(SipOptions.MAX_PREFIX_TOKENS) + 2 * conf.get(SipOptions.SUFFIX_TOKENS);
            ModelPreset preset = conf.get(SipOptions.MODEL_PRESET);
            int heads = conf.getOptional(SipOptions.HEADS).orElse(preset.heads);
            return LlamaConfig.tiny(tokenizer.vocabSize(), tokenizer.eosTokenId())
                    .withShape(conf.getOptional(SipOptions.HIDDEN_SIZE).orElse(preset.hiddenSize),
                            conf.getOptional(SipOptions.INTERMEDIATE_SIZE).orElse(preset.intermediateSize),
                            conf.getOptional(SipOptions.LAYERS).orElse(preset.layers), heads, heads, true)
                    .withMaxPositions(Math.max(maxPositions, 64));
        }
    }

    /** Strict mode's verdict log, beside the weight store; null in latest mode (nothing is replayed). */
    public VerdictLog verdictLog(String weightsDir) {
        return conf.get(SipOptions.SYNC_MODE) == SyncMode.STRICT && weightsDir != null
                ? new VerdictLog(new WeightStore(weightsDir).verdictLogRoot()) : null;
    }

    public LearnerConfig learner(Objective objective, LlamaConfig model, String weightsDir, String exportDir,
                                 String tokenizerJson) {
        int syncEvery = conf.get(SipOptions.DPO_SYNC_EVERY);
        DpoConfig dpo = new DpoConfig(conf.get(SipOptions.DPO_BETA),
                syncEvery > 0 ? DpoConfig.Reference.SYNCED : DpoConfig.Reference.FROZEN, syncEvery,
                conf.get(SipOptions.DPO_NLL_WEIGHT));
        OptimizerConfig optimizer = OptimizerConfig.defaults(conf.get(SipOptions.LEARNING_RATE),
                conf.get(SipOptions.WARMUP_STEPS), conf.get(SipOptions.TOTAL_STEPS));
        VerdictLog verdicts = verdictLog(weightsDir);
        return new LearnerConfig(objective, stepWindows(), stalenessBound(),
                model, conf.get(SipOptions.SEED), conf.getOptional(SipOptions.INIT_CHECKPOINT).orElse(null),
                new TrainerConfig(optimizer, objective == Objective.DPO ? dpo : null),
                new Publishing(weightsDir, conf.get(SipOptions.RETAIN_VERSIONS),
                        conf.get(SipOptions.SYNC_MODE) == SyncMode.STRICT ? conf.get(SipOptions.SYNC_LAG) : 0,
                        publishEvery()),
                new Exporting(conf.get(SipOptions.EXPORT_EVERY), exportDir, tokenizerJson),
                TrainerStateCodec.DEFAULT_MAX_CHUNK_BYTES, verdicts == null ? null : verdicts.root(),
                conf.get(SipOptions.LEARNER_STATE_BY_REFERENCE),
                conf.get(org.apache.flink.configuration.CheckpointingOptions.MAX_RETAINED_CHECKPOINTS));
    }

    /** The reference world of the options (the built-in judges' ground truth and the embedded default's corpus). */
    public WorldConfig world() {
        int documents = conf.get(SipOptions.WORLD_DOCUMENTS);
        WorldConfig defaults = WorldConfig.defaults();
        return defaults.withSeed(conf.getOptional(SipOptions.WORLD_SEED).orElse(conf.get(SipOptions.SEED)))
                .withDocuments(documents, Math.max(600, documents / 10))
                .withUnsafeSpans(conf.get(SipOptions.WORLD_UNSAFE_SHARE), defaults.unsafeSentenceRate())
                .withFalseStatements(conf.get(SipOptions.WORLD_FALSE_SHARE), defaults.falseSentenceRate());
    }

    /** The judge backends the options name: the reference world's judges, or OpenAI-compatible endpoints. */
    public JudgeBackendFactory backends() {
        if (conf.get(SipOptions.JUDGE_BACKEND) == SipOptions.JudgeBackend.OPENAI) {
            requireEndpoints();
            return new OpenAiBackendFactory(LlmRoleOptions.QUALITY.endpoint(conf), LlmRoleOptions.SAFETY.endpoint(conf),
                    LlmRoleOptions.FACTUALITY.endpoint(conf), LlmRoleOptions.REWRITER.endpoint(conf),
                    conf.getOptional(SipOptions.PROMPT_DIR).orElse(null));
        }
        return new ReferenceBackendFactory(world());
    }

    /**
     * Every criterion SIP weighs, and the rewriter when rewriting is on, needs an endpoint. Checked where the job is
     * built: on a TaskManager the missing judge fails every restart of the job instead.
     */
    private void requireEndpoints() {
        if (conf.get(SipOptions.MODE) != SipOptions.Mode.SIP) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (conf.get(SipOptions.QUALITY_WEIGHT) > 0 && LlmRoleOptions.QUALITY.endpoint(conf) == null) {
            missing.add(LlmRoleOptions.QUALITY.baseUrl.key() + " (" + SipOptions.QUALITY_WEIGHT.key() + " > 0)");
        }
        if (conf.get(SipOptions.SAFETY_WEIGHT) > 0 && LlmRoleOptions.SAFETY.endpoint(conf) == null) {
            missing.add(LlmRoleOptions.SAFETY.baseUrl.key() + " (" + SipOptions.SAFETY_WEIGHT.key() + " > 0)");
        }
        if (conf.get(SipOptions.FACTUALITY_WEIGHT) > 0 && LlmRoleOptions.FACTUALITY.endpoint(conf) == null) {
            missing.add(LlmRoleOptions.FACTUALITY.baseUrl.key() + " (" + SipOptions.FACTUALITY_WEIGHT.key()
                    + " > 0)");
        }
        if (conf.get(SipOptions.REWRITE) && LlmRoleOptions.REWRITER.endpoint(conf) == null) {
            missing.add(LlmRoleOptions.REWRITER.baseUrl.key() + " (" + SipOptions.REWRITE.key() + ")");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(SipOptions.JUDGE_BACKEND.key() + "=OPENAI needs an endpoint for "
                    + String.join(", ", missing) + "; sip.llm.base-url and sip.llm.model serve every role at once");
        }
    }
}
