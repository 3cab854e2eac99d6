package io.flinksip.bench;

import io.flinksip.backend.JudgeBackends;
import io.flinksip.backend.ReferenceBackendFactory;
import io.flinksip.config.CheckpointConfigFragments;
import io.flinksip.job.JsonlInput;
import io.flinksip.job.RunAccounting;
import io.flinksip.job.SipJob;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.config.StageConfigs;
import io.flinksip.judge.JudgeAsyncFunction;
import io.flinksip.judge.panel.JudgePanel;
import io.flinksip.judge.panel.PanelResult;
import io.flinksip.learn.ExampleBatchTrainer;
import io.flinksip.learn.LearnerConfig;
import io.flinksip.learn.PolicyTrainer;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.reward.RewardConfig;
import io.flinksip.reward.RewardSelector;
import io.flinksip.rollout.CandidateSets;
import io.flinksip.rollout.RolloutGenerator;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.Objective;
import io.flinksip.schema.Sample;
import io.flinksip.schema.TrainingExample;
import io.flinksip.segment.DocumentParser;
import io.flinksip.segment.RawLine;
import io.flinksip.segment.Segmenter;
import io.flinksip.sync.SyncMode;
import io.flinksip.tokenizer.ByteLevelBpeTokenizer;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenIds;
import io.flinksip.world.CorpusWriter;
import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.Split;
import io.flinksip.world.WorldConfig;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flink's overhead on the embedded default: samples per second through the job in a local MiniCluster (RocksDB,
 * checkpoints every 10 s, parallelism 1, start-up included) against the same stages called in a plain single-threaded
 * loop on the same corpus and configuration, in the same run; with {@code --sync both}, the job in latest and in strict
 * mode. Both sides must do the same work: every sample the loop went through must be accounted for by the job (trained
 * or dead-lettered, none stale), or the bench fails. Targets: job / loop ≥ 0.8, strict / latest ≥ 0.6.
 *
 * <p>Usage: {@code bench job [documents] [--sync latest|strict|both]}.
 */
public final class JobOverheadBench {

    private JobOverheadBench() {
    }

    /** Samples a side went through: trained, or (job) dead-lettered / (loop) without a preference pair. */
    record Work(long samples, long trained, double seconds, Map<String, Long> busyNanos) {
        double rate() {
            return samples / seconds;
        }
    }

    /** The stages in dataflow order; rewrite and judge are async (their busy time is calls in flight). */
    private static final List<String> STAGES = List.of("segment", "rollout", "rewrite", "judge", "reward", "learner");
    private static final Set<String> ASYNC = Set.of("rewrite", "judge");

    public static void main(String[] args) throws Exception {
        int documents = 800;
        String sync = "both";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--sync") && i + 1 < args.length) {
                sync = args[++i];
            } else {
                documents = Integer.parseInt(args[i]);
            }
        }
        if (!List.of("latest", "strict", "both").contains(sync)) {
            throw new IllegalArgumentException("--sync must be latest, strict or both, not " + sync);
        }
        Path dir = Files.createTempDirectory("flink-sip-bench-job");
        WorldConfig worldConfig = WorldConfig.defaults().withDocuments(documents, 10);
        CorpusWriter.write(ReferenceWorld.generate(worldConfig), dir.resolve("world"));
        Path input = dir.resolve("world").resolve(CorpusWriter.documentsFile(Split.TRAIN));
        // The job's reader: the loop sees exactly the lines and documents the job sees.
        List<RawLine> lines = new ArrayList<>();
        JsonlInput.forEachLine(input, SipOptions.INPUT_MAX_LINE_BYTES.defaultValue(), lines::add);
        List<String> texts = new ArrayList<>();
        JsonlInput.documents(input, SipOptions.INPUT_MAX_LINE_BYTES.defaultValue(), d -> texts.add(d.getText()));
        ByteLevelBpeTokenizer tokenizer = new ByteLevelBpeTrainer(2048).train(texts);
        Path tokenizerFile = dir.resolve("tokenizer.json");
        tokenizer.save(tokenizerFile);
        String tokenizerJson = Files.readString(tokenizerFile);
        Configuration conf = new Configuration();
        System.out.printf("corpus: %d documents; defaults: %d rollouts, suffix %d, %d examples per step, DPO%n",
                documents, conf.get(SipOptions.ROLLOUTS), conf.get(SipOptions.SUFFIX_TOKENS),
                conf.get(SipOptions.EXAMPLES_PER_STEP));

        Work loop = plainLoop(conf, lines, tokenizer, tokenizerJson, worldConfig);
        System.out.printf("plain loop     %,d samples (%,d trained) in %.1f s: %.1f samples/s%n", loop.samples(),
                loop.trained(), loop.seconds(), loop.rate());
        Work latest = null;
        Work strict = null;
        if (!sync.equals("strict")) {
            latest = flinkJob(conf, SyncMode.LATEST, dir.resolve("latest"), input, tokenizerJson, worldConfig);
            report("job latest", latest, loop);
            whereTheTimeWent(latest, conf.get(SipOptions.JUDGE_CAPACITY));
        }
        if (!sync.equals("latest")) {
            strict = flinkJob(conf, SyncMode.STRICT, dir.resolve("strict"), input, tokenizerJson, worldConfig);
            report("job strict", strict, loop);
            whereTheTimeWent(strict, conf.get(SipOptions.JUDGE_CAPACITY));
        }
        if (latest != null && strict != null) {
            System.out.printf("strict/latest  %.2f   target >= 0.60 (lag %d)%n", strict.rate() / latest.rate(),
                    conf.get(SipOptions.SYNC_LAG));
        }
    }

    private static void report(String name, Work job, Work loop) {
        System.out.printf("%-14s %,d samples (%,d trained) in %.1f s: %.1f samples/s (start-up included); "
                + "job/loop %.2f   target >= 0.80%n", name, job.samples(), job.trained(), job.seconds(), job.rate(),
                job.rate() / loop.rate());
        if (job.samples() != loop.samples()) {
            throw new IllegalStateException(name + " went through " + job.samples() + " samples but the loop through "
                    + loop.samples() + ": the two sides did not do the same work, the ratio means nothing");
        }
    }

    /**
     * Each stage's busy time as a share of the job's wall time (async stages: calls in flight over their capacity),
     * and the busiest stage, which every stage before it waits on.
     */
    private static void whereTheTimeWent(Work job, int asyncCapacity) {
        StringBuilder line = new StringBuilder("  busy share    ");
        String bottleneck = null;
        double most = -1;
        for (String stage : STAGES) {
            long nanos = job.busyNanos().getOrDefault(stage, 0L);
            double inFlight = nanos / (job.seconds() * 1e9);
            double share = ASYNC.contains(stage) ? inFlight / asyncCapacity : inFlight;
            line.append(String.format(" %s %.2f", stage, share));
            if (ASYNC.contains(stage)) {
                line.append(String.format(" (%.2f of %d in flight)", inFlight, asyncCapacity));
            }
            if (share > most) {
                most = share;
                bottleneck = stage;
            }
        }
        System.out.println(line);
        System.out.printf("  bottleneck     %s (busy %.0f%% of the wall time; the stages before it wait on it)%n",
                bottleneck, 100 * most);
    }

    /** The job's stages, called in order on one thread: parse, segment, rewrite, rollout, judge, reward, learn. */
    private static Work plainLoop(Configuration conf, List<RawLine> lines, TextTokenizer tokenizer,
                                  String tokenizerJson, WorldConfig world) {
        long start = System.nanoTime();
        StageConfigs stages = StageConfigs.fromConfiguration(conf);
        LlamaConfig model = stages.model(tokenizerJson);
        LearnerConfig learner = stages.learner(Objective.DPO, model, "", null, tokenizerJson);
        JudgeBackends backends = new ReferenceBackendFactory(world).create();
        JudgePanel panel = new JudgePanel(stages.panel(), backends.quality(), backends.safety(),
                backends.factuality());
        DocumentParser parser = new DocumentParser("bench");
        Segmenter segmenter = new Segmenter(stages.segment(), tokenizer);
        RolloutGenerator rollouts = new RolloutGenerator(stages.rollout("", tokenizerJson), tokenizer);
        RewardSelector reward = new RewardSelector(new RewardConfig(Objective.DPO, 1e-9, true));
        int microBatch = conf.get(SipOptions.ROLLOUT_MICRO_BATCH);
        int suffixTokens = conf.get(SipOptions.SUFFIX_TOKENS);
        int trained = 0;
        int samples = 0;
        try (PolicyTrainer trainer = PolicyTrainer.create(model, LlamaModel.initialWeights(model, learner.initSeed()),
                learner.trainer(), learner.initSeed())) {
            ExampleBatchTrainer steps = new ExampleBatchTrainer(trainer, Objective.DPO);
            List<CandidateSet> opened = new ArrayList<>();
            List<TrainingExample> pending = new ArrayList<>();
            for (RawLine line : lines) {
                var doc = parser.parse(line).document();
                for (Sample s : doc == null ? List.<Sample>of() : segmenter.segment(doc)) {
                    samples++;
                    String prefix = tokenizer.decode(TokenIds.unboxed(s.getPrefixTokens()));
                    String suffix = tokenizer.decode(TokenIds.unboxed(s.getSuffixTokens()));
                    String rewrite = backends.rewriter().rewrite(prefix, suffix).join().text();
                    opened.add(CandidateSets.open(s, prefix, suffix, rewrite, tokenizer, 2 * suffixTokens));
                }
                if (opened.size() >= microBatch) {
                    judgeAndReward(rollouts, trainer, panel, reward, opened, pending);
                }
                if (pending.size() >= learner.windows().size()) {
                    trained += trainStep(steps, pending, learner.windows().size());
                }
            }
            judgeAndReward(rollouts, trainer, panel, reward, opened, pending);
            while (!pending.isEmpty()) {
                trained += trainStep(steps, pending, learner.windows().size());
            }
        }
        return new Work(samples, trained, (System.nanoTime() - start) / 1e9, Map.of());
    }

    private static void judgeAndReward(RolloutGenerator rollouts, PolicyTrainer trainer, JudgePanel panel,
                                       RewardSelector reward, List<CandidateSet> opened,
                                       List<TrainingExample> pending) {
        if (opened.isEmpty()) {
            return;
        }
        for (CandidateSet set : rollouts.generate(trainer.policy(), trainer.step(), opened)) {
            List<String> texts = new ArrayList<>();
            set.getCandidates().forEach(c -> texts.add(c.getText()));
            PanelResult scores = panel.score(set.getPrefixText(), texts, 0).join();
            reward.select(JudgeAsyncFunction.toJudgedSet(set, scores)).ifPresent(pending::add);
        }
        opened.clear();
    }

    private static int trainStep(ExampleBatchTrainer steps, List<TrainingExample> pending, int perStep) {
        List<TrainingExample> batch = new ArrayList<>(pending.subList(0, Math.min(pending.size(), perStep)));
        pending.subList(0, batch.size()).clear();
        batch.sort(Comparator.comparing((TrainingExample e) -> e.getDocId())
                .thenComparingInt(TrainingExample::getSampleIndex));
        steps.train(batch);
        return batch.size();
    }

    private static Work flinkJob(Configuration defaults, SyncMode sync, Path dir, Path input, String tokenizerJson,
                                 WorldConfig world) throws Exception {
        long start = System.nanoTime();
        Configuration conf = new Configuration(defaults);
        conf.set(SipOptions.SYNC_MODE, sync);
        Configuration flink = CheckpointConfigFragments.asConfiguration();
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").toUri().toString());
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, java.time.Duration.ofSeconds(10));
        flink.setString("metrics.reporter.stagetime.factory.class", StageTimeReporter.Factory.class.getName());
        flink.addAll(conf);
        StageTimeReporter.reset();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(1);
        SipJob.build(env, SipJob.Settings.builder(conf).inputPath(input.toString()).tokenizerJson(tokenizerJson)
                .backends(new ReferenceBackendFactory(world)).weightsDir(dir.resolve("weights").toString())
                .outputDir(dir.resolve("out").toString()).build());
        env.execute("bench " + sync);
        double seconds = (System.nanoTime() - start) / 1e9;
        RunAccounting accounting = RunAccounting.of(null, dir.resolve("out"));
        if (accounting.duplicates() > 0 || accounting.gaps() > 0 || accounting.deadLetters().get("stale") > 0) {
            throw new IllegalStateException("the " + sync + " job lost or repeated samples: "
                    + accounting.describe(true));
        }
        return new Work(accounting.trained() + accounting.deadLetteredSamples(), accounting.trained(), seconds,
                StageTimeReporter.busyNanosByStage());
    }
}
