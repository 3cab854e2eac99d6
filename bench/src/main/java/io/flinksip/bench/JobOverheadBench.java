package io.flinksip.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.config.CheckpointConfigFragments;
import io.flinksip.job.SipJob;
import io.flinksip.job.config.SipOptions;
import io.flinksip.judge.JudgeBackends;
import io.flinksip.judge.ReferenceBackendFactory;
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
import io.flinksip.rewrite.CandidateSets;
import io.flinksip.rollout.RolloutGenerator;
import io.flinksip.schema.CandidateSet;
import io.flinksip.schema.Objective;
import io.flinksip.schema.Sample;
import io.flinksip.schema.TrainingExample;
import io.flinksip.segment.DocumentParser;
import io.flinksip.segment.RawLine;
import io.flinksip.segment.Segmenter;
import io.flinksip.tokenizer.ByteLevelBpeTokenizer;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.world.CorpusWriter;
import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.Split;
import io.flinksip.world.WorldConfig;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Flink's overhead on the embedded default: samples trained per second by the job in a local MiniCluster (RocksDB,
 * checkpoints every 10 s, parallelism 1, start-up included) against the same stages called in a plain single-threaded
 * loop on the same corpus and configuration, in the same run. Target: job / loop ≥ 0.8.
 */
public final class JobOverheadBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        int documents = args.length > 0 ? Integer.parseInt(args[0]) : 800;
        Path dir = Files.createTempDirectory("flink-sip-bench-job");
        WorldConfig worldConfig = WorldConfig.defaults().withDocuments(documents, 10);
        CorpusWriter.write(ReferenceWorld.generate(worldConfig), dir.resolve("world"));
        Path input = dir.resolve("world").resolve(CorpusWriter.documentsFile(Split.TRAIN));
        List<byte[]> lines = readLines(input);
        List<String> texts = new ArrayList<>();
        for (byte[] l : lines) {
            texts.add(JSON.readTree(l).get("text").asText());
        }
        ByteLevelBpeTokenizer tokenizer = new ByteLevelBpeTrainer(2048).train(texts);
        Path tokenizerFile = dir.resolve("tokenizer.json");
        tokenizer.save(tokenizerFile);
        String tokenizerJson = Files.readString(tokenizerFile);
        Configuration conf = new Configuration();
        System.out.printf("corpus: %d documents; defaults: %d rollouts, suffix %d, %d examples per step, DPO%n",
                documents, conf.get(SipOptions.ROLLOUTS), conf.get(SipOptions.SUFFIX_TOKENS),
                conf.get(SipOptions.EXAMPLES_PER_STEP));

        long loopStart = System.nanoTime();
        int loopTrained = plainLoop(conf, lines, tokenizer, tokenizerJson, worldConfig);
        double loopSeconds = (System.nanoTime() - loopStart) / 1e9;

        long jobStart = System.nanoTime();
        int jobTrained = flinkJob(conf, dir, input, tokenizerJson, worldConfig);
        double jobSeconds = (System.nanoTime() - jobStart) / 1e9;

        double loopRate = loopTrained / loopSeconds;
        double jobRate = jobTrained / jobSeconds;
        System.out.printf("plain loop   %,d samples trained in %.1f s: %.1f samples/s%n", loopTrained, loopSeconds,
                loopRate);
        System.out.printf("flink job    %,d samples trained in %.1f s: %.1f samples/s (start-up included)%n",
                jobTrained, jobSeconds, jobRate);
        System.out.printf("ratio        %.2f   target >= 0.80%n", jobRate / loopRate);
    }

    /** The job's stages, called in order on one thread: parse, segment, rewrite, rollout, judge, reward, learn. */
    private static int plainLoop(Configuration conf, List<byte[]> lines, TextTokenizer tokenizer, String tokenizerJson,
                                 WorldConfig world) {
        LlamaConfig model = SipJob.modelConfig(conf, tokenizerJson);
        LearnerConfig learner = SipJob.learnerConfig(conf, Objective.DPO, model,
                new SipJob.Settings(conf, "", tokenizerJson, null, "", null, ""));
        JudgeBackends backends = new ReferenceBackendFactory(world).create();
        JudgePanel panel = new JudgePanel(SipJob.panelConfig(conf), backends.quality(), backends.safety(),
                backends.factuality());
        DocumentParser parser = new DocumentParser("bench");
        Segmenter segmenter = new Segmenter(SipJob.segmentConfig(conf), tokenizer);
        RolloutGenerator rollouts = new RolloutGenerator(SipJob.rolloutConfig(conf, "", tokenizerJson), tokenizer);
        RewardSelector reward = new RewardSelector(new RewardConfig(Objective.DPO, 1e-9, true));
        int microBatch = conf.get(SipOptions.ROLLOUT_MICRO_BATCH);
        int suffixTokens = conf.get(SipOptions.SUFFIX_TOKENS);
        int trained = 0;
        try (PolicyTrainer trainer = PolicyTrainer.create(model, LlamaModel.initialWeights(model, learner.initSeed()),
                learner.trainer(), learner.initSeed())) {
            ExampleBatchTrainer steps = new ExampleBatchTrainer(trainer, Objective.DPO);
            List<CandidateSet> opened = new ArrayList<>();
            List<TrainingExample> pending = new ArrayList<>();
            for (byte[] line : lines) {
                var doc = parser.parse(new RawLine(line, false, line.length)).document();
                for (Sample s : doc == null ? List.<Sample>of() : segmenter.segment(doc)) {
                    String prefix = tokenizer.decode(Segmenter.unboxed(s.getPrefixTokens()));
                    String suffix = tokenizer.decode(Segmenter.unboxed(s.getSuffixTokens()));
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
        return trained;
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

    private static int flinkJob(Configuration conf, Path dir, Path input, String tokenizerJson, WorldConfig world)
            throws Exception {
        Configuration flink = CheckpointConfigFragments.asConfiguration();
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").toUri().toString());
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, java.time.Duration.ofSeconds(10));
        flink.addAll(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(1);
        SipJob.build(env, new SipJob.Settings(conf, input.toString(), tokenizerJson, new ReferenceBackendFactory(world),
                dir.resolve("weights").toString(), null, dir.resolve("out").toString()));
        env.execute("bench");
        int trained = 0;
        try (var files = Files.walk(dir.resolve("out/policy-updates"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList()) {
                for (String line : Files.readAllLines(f)) {
                    JsonNode u = JSON.readTree(line);
                    trained += u.get("examples").asInt();
                }
            }
        }
        return trained;
    }

    private static List<byte[]> readLines(Path gz) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
