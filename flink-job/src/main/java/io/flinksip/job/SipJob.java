package io.flinksip.job;

import io.flinksip.backend.JudgeBackendFactory;
import io.flinksip.deadletter.DeadLetters;
import io.flinksip.deadletter.StageResult;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.config.StageConfigs;
import io.flinksip.job.kafka.KafkaConnectors;
import io.flinksip.job.kafka.KafkaOptions;
import io.flinksip.job.kafka.KafkaTopics;
import io.flinksip.job.kafka.ShardAlignment;
import io.flinksip.judge.JudgeAsyncFunction;
import io.flinksip.judge.panel.PanelConfig;
import io.flinksip.learn.LearnerConfig;
import io.flinksip.learn.LearnerOperator;
import io.flinksip.model.LlamaConfig;
import io.flinksip.reward.RewardConfig;
import io.flinksip.reward.RewardFunction;
import io.flinksip.rewrite.RewriteAsyncFunction;
import io.flinksip.rollout.RolloutConfig;
import io.flinksip.rollout.RolloutOperator;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.DeadLetter;
import io.flinksip.schema.JudgedSet;
import io.flinksip.schema.Objective;
import io.flinksip.schema.PolicyUpdate;
import io.flinksip.schema.Sample;
import io.flinksip.schema.TrainingExample;
import io.flinksip.segment.RawLine;
import io.flinksip.segment.RawLineFormat;
import io.flinksip.segment.SegmentConfig;
import io.flinksip.segment.SegmentFunction;
import io.flinksip.sync.Accounting;
import io.flinksip.sync.Chunks;
import io.flinksip.sync.SequenceOperator;
import io.flinksip.sync.SyncMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Builds the flink-sip dataflow:
 *
 * <pre>
 * documents → segment → sequence → rollout → rewrite (async) → judge (async) → reward → learner → policy updates
 *                 │                    └──── dead letters after sequencing ──────────────────┘ (count in windows)
 *                 └─────────────────────────────── dead letters (every stage) ──────────────────────────────────
 * </pre>
 *
 * The sequence stage numbers samples into step windows and holds each until the policy version its rollouts need is
 * published (flow control); the learner trains a window once all its samples are accounted for. In NTP mode the
 * sequenced samples go straight to the learner. Every operator has a stable uid, so savepoints survive code
 * changes.
 */
public final class SipJob {
    /** What the graph produced, for callers that want to attach more sinks or observe. */
    public record Streams(DataStream<PolicyUpdate> updates, DataStream<DeadLetter> deadLetters,
                          DataStream<TrainingExample> examples) {
    }

    /** Resolved inputs of the graph: options plus the artefacts the options point to. */
    /**
     * An input the job reads instead of files or Kafka (the JSONL lines as the file source would give them): tests and
     * embedders hand the job an in-memory or custom stream, as flink-training's jobs take their sources.
     */
    @FunctionalInterface
    public interface LineSource {
        DataStream<RawLine> create(StreamExecutionEnvironment env);
    }

    public record Settings(Configuration conf, String inputPath, String tokenizerJson, JudgeBackendFactory backends,
                           String weightsDir, String exportDir, String outputDir, LineSource lineSource) {
        /** Settings of a job with these options; everything else is unset (null) until given. */
        public static Builder builder(Configuration conf) {
            return new Builder(conf);
        }
    }

    /** Named setters for {@link Settings}: six of its seven parts are strings or nulls, easy to swap by position. */
    public static final class Builder {
        private final Configuration conf;
        private String inputPath;
        private String tokenizerJson;
        private JudgeBackendFactory backends;
        private String weightsDir;
        private String exportDir;
        private String outputDir;
        private LineSource lineSource;

        private Builder(Configuration conf) {
            this.conf = conf;
        }

        /** A JSONL file or directory (null with Kafka input). */
        public Builder inputPath(String path) {
            this.inputPath = path;
            return this;
        }

        /** The tokenizer.json text. */
        public Builder tokenizerJson(String json) {
            this.tokenizerJson = json;
            return this;
        }

        public Builder backends(JudgeBackendFactory factory) {
            this.backends = factory;
            return this;
        }

        public Builder weightsDir(String dir) {
            this.weightsDir = dir;
            return this;
        }

        /** Where Hugging Face checkpoints go (none when unset). */
        public Builder exportDir(String dir) {
            this.exportDir = dir;
            return this;
        }

        /** Where the file outputs go (none when unset: Kafka outputs only). */
        public Builder outputDir(String dir) {
            this.outputDir = dir;
            return this;
        }

        /** Read these lines instead of {@code inputPath} or Kafka. */
        public Builder lineSource(LineSource source) {
            this.lineSource = source;
            return this;
        }

        public Settings build() {
            return new Settings(conf, inputPath, tokenizerJson, backends, weightsDir, exportDir, outputDir,
                    lineSource);
        }
    }

    private SipJob() {
    }

    public static Streams build(StreamExecutionEnvironment env, Settings s) {
        return build(env, s, UnaryOperator.identity());
    }

    /**
     * @param beforeLearner applied to the training examples just before the learner: an instrumentation point
     *     (auditing, sampling, fault-injection tests); the identity in production
     */
    public static Streams build(StreamExecutionEnvironment env, Settings s,
                                UnaryOperator<DataStream<TrainingExample>> beforeLearner) {
        Configuration conf = s.conf();
        StageConfigs stages = StageConfigs.fromConfiguration(conf);
        SipOptions.Mode mode = conf.get(SipOptions.MODE);
        LlamaConfig model = stages.model(s.tokenizerJson());
        InitialCheckpointCheck.check(conf, s.tokenizerJson());
        boolean kafka = KafkaOptions.kafkaInput(conf);
        boolean strict = conf.get(SipOptions.SYNC_MODE) == SyncMode.STRICT;

        DataStream<RawLine> lines;
        String source;
        if (s.lineSource() != null) {
            source = "injected";
            lines = s.lineSource().create(env);
        } else if (kafka) {
            source = "kafka:" + conf.getOptional(KafkaOptions.INPUT_TOPICS)
                    .orElse(conf.getOptional(KafkaOptions.INPUT_PATTERN).orElse(""));
            if (strict) {
                int partitions = KafkaTopics.strictInputPartitions(conf);
                if (partitions != conf.get(SipOptions.SYNC_SHARDS)) {
                    throw new IllegalArgumentException("strict sync with Kafka input: " + SipOptions.SYNC_SHARDS.key()
                            + " must be the input topic's number of partitions, " + partitions + ", not "
                            + conf.get(SipOptions.SYNC_SHARDS));
                }
            }
            lines = env.fromSource(KafkaConnectors.documents(conf), strict
                    ? ShardAlignment.strategy(stages.maxShardDrift()) : WatermarkStrategy.noWatermarks(),
                    "documents (kafka)").uid("source-documents-kafka");
        } else {
            source = s.inputPath();
            FileSource.FileSourceBuilder<RawLine> files = FileSource.forRecordStreamFormat(
                    new RawLineFormat(conf.get(SipOptions.INPUT_MAX_LINE_BYTES)), new Path(s.inputPath()));
            Duration monitor = conf.get(SipOptions.INPUT_MONITOR_INTERVAL);
            if (!monitor.isZero()) {
                files.monitorContinuously(monitor);
            }
            if (strict) {
                files.setSplitAssigner(PathOrderSplitAssigner::new);
            }
            SingleOutputStreamOperator<RawLine> read = env.fromSource(files.build(), WatermarkStrategy.noWatermarks(),
                    "documents").uid("source-documents");
            if (strict) {
                read.setParallelism(1); // strict numbering follows the source's order: one reader, files in order
            }
            lines = read;
        }

        SegmentConfig segment = stages.segment();
        SingleOutputStreamOperator<Sample> samples = lines
                .process(new SegmentFunction(segment, s.tokenizerJson(), conf.get(SipOptions.TOKENIZER_BACKEND), source,
                        strict && kafka))
                .uid("segment").name("segment");
        if (strict && !kafka) {
            samples.setParallelism(1);
        }
        DataStream<DeadLetter> deadLetters = samples.getSideOutput(DeadLetters.TAG);
        DataStream<Sample> numbered = samples;
        if (strict && kafka) {
            // The partitions' record counts aligned the source; they are not event time, so they stop here.
            numbered = samples.assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks())
                    .uid("drop-shard-watermarks").name("drop shard watermarks");
        }

        SingleOutputStreamOperator<Sample> sequenced = numbered
                .keyBy(Sample::getShard, TypeInformation.of(Integer.class))
                .transform("sequence", TypeInformation.of(Sample.class), new SequenceOperator(
                        stages.sequence(s.weightsDir())))
                .uid("sequence");

        DataStream<TrainingExample> examples;
        DataStream<DeadLetter> retired;
        Objective objective = stages.objective();
        if (mode == SipOptions.Mode.NTP) {
            SingleOutputStreamOperator<TrainingExample> ntp = sequenced.process(new NtpExampleFunction())
                    .uid("ntp-examples").name("ntp examples");
            examples = ntp;
            retired = ntp.getSideOutput(DeadLetters.TAG);
        } else {
            long judgeTimeout = conf.get(SipOptions.JUDGE_TIMEOUT).toMillis();
            int capacity = conf.get(SipOptions.JUDGE_CAPACITY);
            // Keyed by chunk (a shard's share of a step window): strict mode batches a chunk's samples together.
            RolloutConfig rollout = stages.rollout(s.weightsDir(), s.tokenizerJson());
            DataStream<CandidateSet> withRollouts = sequenced
                    .keyBy(Chunks::chunkOf, TypeInformation.of(Long.class))
                    .transform("rollout", TypeInformation.of(CandidateSet.class), new RolloutOperator(rollout))
                    .uid("rollout").setParallelism(conf.get(SipOptions.ROLLOUT_PARALLELISM));

            DataStream<StageResult<CandidateSet>> rewritten = AsyncDataStream.unorderedWait(withRollouts,
                    new RewriteAsyncFunction(s.backends(), conf.get(SipOptions.REWRITE), s.tokenizerJson(),
                            conf.get(SipOptions.TOKENIZER_BACKEND), 2 * segment.suffixTokens(),
                            stages.verdictLog(s.weightsDir())),
                    judgeTimeout, TimeUnit.MILLISECONDS, capacity).uid("rewrite").name("rewrite");
            SingleOutputStreamOperator<CandidateSet> sets = rewritten
                    .process(new StageResults<CandidateSet>(), TypeInformation.of(CandidateSet.class))
                    .uid("rewrite-results").name("rewrite results");
            retired = sets.getSideOutput(DeadLetters.TAG);

            PanelConfig panel = stages.panel();
            SingleOutputStreamOperator<StageResult<JudgedSet>> judged = AsyncDataStream.unorderedWait(sets,
                    new JudgeAsyncFunction(panel, s.backends(), stages.verdictLog(s.weightsDir())), judgeTimeout,
                    TimeUnit.MILLISECONDS, capacity)
                    .uid("judge").name("judge");
            judged.setParallelism(conf.get(SipOptions.JUDGE_PARALLELISM));
            SingleOutputStreamOperator<JudgedSet> judgedSets = judged
                    .process(new StageResults<JudgedSet>(), TypeInformation.of(JudgedSet.class))
                    .uid("judge-results").name("judge results");
            retired = retired.union(judgedSets.getSideOutput(DeadLetters.TAG));

            SingleOutputStreamOperator<TrainingExample> rewarded = judgedSets
                    .process(new RewardFunction(new RewardConfig(objective, 1e-9, conf.get(SipOptions.TRAIN_ON_SUFFIX))))
                    .uid("reward").name("reward");
            retired = retired.union(rewarded.getSideOutput(DeadLetters.TAG));
            examples = rewarded;
        }

        LearnerConfig learner = stages.learner(objective, model, s.weightsDir(), s.exportDir(), s.tokenizerJson());
        DataStream<Accounting> accounting = retired
                .map(Accounting::deadLetter, TypeInformation.of(Accounting.class)).uid("accounting").name("accounting")
                .union(sequenced.getSideOutput(SequenceOperator.ACCOUNTING));
        SingleOutputStreamOperator<PolicyUpdate> updates = beforeLearner.apply(examples)
                .connect(accounting)
                .keyBy(e -> LearnerOperator.KEY, d -> LearnerOperator.KEY, TypeInformation.of(Integer.class))
                .transform("learner", TypeInformation.of(PolicyUpdate.class), new LearnerOperator(learner))
                .uid("learner").setParallelism(1).setMaxParallelism(1);
        deadLetters = deadLetters.union(retired, updates.getSideOutput(DeadLetters.TAG));

        if (s.outputDir() != null) {
            JsonLines.sink(updates, s.outputDir() + "/policy-updates", "policy-updates", 1);
            JsonLines.sink(deadLetters, s.outputDir() + "/dead-letters", "dead-letters", env.getParallelism());
            if (conf.get(SipOptions.OUTPUT_EXAMPLES)) {
                JsonLines.sink(examples, s.outputDir() + "/examples", "examples", env.getParallelism());
            }
        }
        conf.getOptional(KafkaOptions.UPDATES_TOPIC).ifPresent(topic -> updates
                .sinkTo(KafkaConnectors.avro(conf, topic, u -> Long.toString(u.getStep())))
                .uid("sink-kafka-policy-updates").name("kafka policy updates").setParallelism(1));
        DataStream<DeadLetter> allDeadLetters = deadLetters;
        conf.getOptional(KafkaOptions.DEAD_LETTERS_TOPIC).ifPresent(topic -> allDeadLetters
                .sinkTo(KafkaConnectors.avro(conf, topic, d -> String.valueOf(d.getDocId())))
                .uid("sink-kafka-dead-letters").name("kafka dead letters"));
        DataStream<TrainingExample> allExamples = examples;
        conf.getOptional(KafkaOptions.EXAMPLES_TOPIC).ifPresent(topic -> allExamples
                .sinkTo(KafkaConnectors.avro(conf, topic, e -> e.getDocId() + "#" + e.getSampleIndex()))
                .uid("sink-kafka-examples").name("kafka examples"));
        return new Streams(updates, deadLetters, examples);
    }
}
