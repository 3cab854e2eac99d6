package io.flinksip.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.config.CheckpointConfigFragments;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.config.StageConfigs;
import io.flinksip.job.kafka.KafkaOptions;
import io.flinksip.job.kafka.KafkaOutputAudit;
import io.flinksip.model.DjlRuntime;
import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.tokenizer.ByteLevelBpeTokenizer;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.weights.WeightStore;
import io.flinksip.world.CorpusWriter;
import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.Split;
import io.flinksip.world.WorldConfig;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs the job in a local MiniCluster: by default on the embedded world (generated corpus, built-in reference judges
 * and rewriter, tiny policy on CPU, RocksDB checkpoints under the work directory), with live progress on the console,
 * savepoint-and-stop on request, and a summary of where everything went.
 */
public final class EmbeddedRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run produced. */
    public record Result(String status, long steps, Path weightsDir, Path exportDir, Path outputDir,
                         String savepoint, RunAccounting accounting, Set<Long> kafkaStepsMissing) {
        public Result(String status, long steps, Path weightsDir, Path exportDir, Path outputDir, String savepoint,
                      RunAccounting accounting) {
            this(status, steps, weightsDir, exportDir, outputDir, savepoint, accounting, Set.of());
        }

        /** The exit code of the run command: 0 only when the job ended as it should and nothing went missing. */
        public int exitCode() {
            if (accounting != null && accounting.duplicates() > 0 || !kafkaStepsMissing.isEmpty()) {
                return 3;
            }
            if (savepoint != null) {
                return 0;
            }
            if (!status.equals("FINISHED")) {
                return 1;
            }
            if (accounting != null && (!accounting.holdsForFinishedRun() || accounting.trained() == 0)) {
                return 3;
            }
            return 0;
        }
    }

    private final Configuration conf;
    private final PrintStream out;
    private final InputStream stdin;
    private Function<String, String> resumeCommand = savepoint -> "./flink-sip run --resume " + savepoint;

    public EmbeddedRun(Configuration conf, PrintStream out, InputStream stdin) {
        this.conf = conf;
        this.out = out;
        this.stdin = stdin;
    }

    /**
     * How to print the command that resumes from a savepoint this run takes: the command line should repeat the
     * run's own options (work directory, outputs, -D settings), or the resumed job writes where its sink state does
     * not expect.
     */
    public EmbeddedRun withResumeCommand(Function<String, String> command) {
        this.resumeCommand = command;
        return this;
    }

    public Result run(String resumeFrom) throws Exception {
        long started = System.nanoTime();
        Path work = Path.of(conf.get(SipOptions.WORK_DIR)).toAbsolutePath();
        Files.createDirectories(work);
        WorldConfig worldConfig = StageConfigs.fromConfiguration(conf).world();
        String input = conf.getOptional(SipOptions.INPUT_PATH).orElse(null);
        int expectedDocuments = -1;
        if (input == null) {
            Path worldDir = work.resolve("world");
            CorpusWriter.WrittenCorpus corpus = CorpusWriter.write(ReferenceWorld.generate(worldConfig), worldDir);
            input = worldDir.resolve(CorpusWriter.documentsFile(Split.TRAIN)).toString();
            expectedDocuments = corpus.trainDocuments();
            out.printf("world       %d training + %d held-out documents about %d facts -> %s%n",
                    corpus.trainDocuments(), corpus.heldOutDocuments(), corpus.facts(), worldDir);
        }
        String tokenizerJson = tokenizer(work, input);
        Path weights = Path.of(conf.getOptional(SipOptions.WEIGHTS_DIR).orElse(work.resolve("weights").toString()));
        Path export = Path.of(conf.getOptional(SipOptions.EXPORT_DIR).orElse(work.resolve("export").toString()));
        Path output = Path.of(conf.getOptional(SipOptions.OUTPUT_PATH).orElse(work.resolve("output").toString()));
        SipJob.Settings settings = SipJob.Settings.builder(conf).inputPath(input).tokenizerJson(tokenizerJson)
                .backends(StageConfigs.fromConfiguration(conf).backends()).weightsDir(weights.toString())
                .exportDir(export.toString()).outputDir(output.toString()).build();

        if (conf.getOptional(SipOptions.INIT_CHECKPOINT).isEmpty()) {
            LlamaConfig model = StageConfigs.fromConfiguration(conf).model(tokenizerJson);
            out.printf("model       fresh %s: hidden %d, %d layers, %d heads, %,d parameters (sip.model.preset)%n",
                    conf.get(SipOptions.MODEL_PRESET).name().toLowerCase(), model.hiddenSize(), model.numLayers(),
                    model.numHeads(), LlamaModel.parameterCount(model));
        }
        out.printf("device      %s%n", DjlRuntime.describe());
        Configuration flink = localClusterConfiguration(conf, work);
        if (resumeFrom != null) {
            resumeFrom = resolveResume(resumeFrom, work);
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, resumeFrom);
            out.printf("resuming    from %s%n", resumeFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(1);
        SipJob.build(env, settings);
        JobClient job = env.executeAsync("flink-sip " + conf.get(SipOptions.MODE).name().toLowerCase());
        out.printf("job         %s (%s mode) started; type 's' + Enter to take a savepoint and stop%n",
                job.getJobID(), conf.get(SipOptions.MODE));

        AtomicReference<String> savepoint = new AtomicReference<>();
        Thread stopper = stopOnRequest(job, savepoint);
        Thread hook = new Thread(() -> stopWithSavepoint(job, savepoint), "flink-sip-savepoint-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        long steps = watch(job, new WeightStore(weights.toString()), expectedDocuments, started);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it owns the stop
        }
        stopper.interrupt();
        String status = finalStatus(job);
        double minutes = (System.nanoTime() - started) / 6e10;
        if (savepoint.get() != null) {
            out.printf("%nstopped     with a savepoint after %d steps in %.1f min%n", steps, minutes);
        } else {
            out.printf("%nfinished    %s after %d steps in %.1f min%n", status, steps, minutes);
        }
        out.printf("weights     %s (versioned snapshots; LATEST names the newest)%n", weights);
        out.printf("checkpoints %s (Hugging Face format, tokenizer files included)%n", export);
        out.printf("outputs     %s (policy-updates/, dead-letters/ as JSON lines)%n", output);
        if (savepoint.get() != null) {
            out.printf("savepoint   %s%n", savepoint.get());
            out.printf("resume      %s%n", resumeCommand.apply(savepoint.get()));
        }
        out.printf("metrics     Flink metric groups of the operators (segment, sequence, rewrite, rollout, judge, "
                + "reward, learner)%n");
        RunAccounting accounting = account(input, output, status, savepoint.get());
        return new Result(status, steps, weights, export, output, savepoint.get(), accounting,
                auditKafkaUpdates(output));
    }

    /**
     * Every step in the run's own policy-updates must also be committed in the Kafka topic; one that is not was lost
     * to a transaction the broker aborted after its checkpoint (a broker outage longer than the transaction timeout).
     */
    private Set<Long> auditKafkaUpdates(Path output) {
        if (conf.getOptional(KafkaOptions.UPDATES_TOPIC).isEmpty()) {
            return Set.of();
        }
        String topic = conf.get(KafkaOptions.UPDATES_TOPIC);
        try {
            Set<Long> steps = new java.util.TreeSet<>();
            for (var u : JsonLinesDir.read(output.resolve("policy-updates"))) {
                steps.add(u.get("step").asLong());
            }
            Set<Long> missing = KafkaOutputAudit.missingSteps(conf, steps);
            if (missing.isEmpty()) {
                out.printf("kafka       all %d policy updates committed in topic %s%n", steps.size(), topic);
            } else {
                out.printf("kafka       LOST: %d of %d policy updates are not in topic %s (steps %s): the broker "
                        + "aborted their transactions after the checkpoint, which happens when it is down longer "
                        + "than %s (%s)%n", missing.size(), steps.size(), topic, missing,
                        KafkaOptions.TRANSACTION_TIMEOUT.key(), conf.get(KafkaOptions.TRANSACTION_TIMEOUT));
            }
            return missing;
        } catch (IOException e) {
            out.printf("kafka       could not check topic %s: %s%n", topic, e.getMessage());
            return Set.of();
        }
    }

    /** Prints where every input went and writes it to {@code summary.json} beside the outputs. */
    private RunAccounting account(String input, Path output, String status, String savepoint) {
        try {
            InputCensus census = KafkaOptions.kafkaInput(conf) ? null
                    : InputCensus.of(Path.of(input), conf.get(SipOptions.INPUT_MAX_LINE_BYTES)).orElse(null);
            RunAccounting accounting = RunAccounting.of(census, output);
            List<String> lines = accounting.describe(savepoint == null && status.equals("FINISHED"));
            out.printf("accounting  %s%n", lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                out.printf("            %s%n", line);
            }
            var json = accounting.toJson(savepoint != null ? "STOPPED_WITH_SAVEPOINT" : status);
            if (savepoint != null) {
                json.put("savepoint", savepoint);
            }
            json.put("device", DjlRuntime.describe());
            Files.createDirectories(output);
            Files.writeString(output.resolve("summary.json"), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(json), StandardCharsets.UTF_8);
            out.printf("summary     %s%n", output.resolve("summary.json"));
            return accounting;
        } catch (IOException e) {
            out.printf("accounting  could not read the outputs: %s%n", e);
            return null;
        }
    }

    /**
     * A savepoint or retained checkpoint directory, or {@code latest}: the newest of the work directory's retained
     * checkpoints and savepoints (what a run killed with kill -9 resumes from).
     */
    static String resolveResume(String resume, Path work) throws IOException {
        if (!resume.equals("latest")) {
            return resume;
        }
        Path newest = null;
        for (Path root : List.of(work.resolve("checkpoints"), work.resolve("savepoints"))) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (var s = Files.walk(root, 3)) {
                for (Path metadata : s.filter(p -> p.getFileName().toString().equals("_metadata")).toList()) {
                    if (newest == null || Files.getLastModifiedTime(metadata).compareTo(
                            Files.getLastModifiedTime(newest)) > 0) {
                        newest = metadata;
                    }
                }
            }
        }
        if (newest == null) {
            throw new IllegalArgumentException("--resume latest: no retained checkpoint or savepoint under "
                    + work.resolve("checkpoints") + " or " + work.resolve("savepoints"));
        }
        return flinkPath(newest.getParent());
    }

    /**
     * The local cluster's settings: the {@code checkpoints-config/} fragments, checkpoints and savepoints under the work
     * directory, endpoints bound to loopback; then the run's own options, which override any of them.
     */
    public static Configuration localClusterConfiguration(Configuration conf, Path work) {
        Configuration flink = CheckpointConfigFragments.asConfiguration();
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, flinkPath(work.resolve("checkpoints")));
        flink.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, flinkPath(work.resolve("savepoints")));
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, java.time.Duration.ofSeconds(10));
        // The REST endpoint and the blob server serve this machine only, unless -D options say otherwise.
        flink.set(org.apache.flink.configuration.RestOptions.BIND_ADDRESS, "localhost");
        flink.set(org.apache.flink.configuration.RestOptions.ADDRESS, "localhost");
        flink.set(org.apache.flink.configuration.JobManagerOptions.BIND_HOST, "localhost");
        flink.set(org.apache.flink.configuration.TaskManagerOptions.BIND_HOST, "localhost");
        flink.addAll(conf);
        return flink;
    }

    /**
     * A local directory as Flink spells paths: {@code file:/a b/c}, not the URI-encoded {@code file:/a%20b/c}, which
     * Flink would take literally (a directory named {@code a%20b}).
     */
    public static String flinkPath(Path local) {
        return new org.apache.flink.core.fs.Path("file", null, local.toAbsolutePath().toString()).toString();
    }

    /** The innermost cause of a job failure: what the user has to fix, not Flink's wrappers around it. */
    static String rootCause(Throwable e) {
        Throwable root = rootOf(e);
        return root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** The innermost cause of {@code e}. */
    public static Throwable rootOf(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String finalStatus(JobClient job) {
        try {
            return job.getJobStatus().get(10, TimeUnit.SECONDS).name();
        } catch (Exception e) {
            // The local cluster is already shut down after a failed job; the result tells how it ended.
            try {
                job.getJobExecutionResult().get();
                return "FINISHED";
            } catch (Exception failure) {
                return "FAILED";
            }
        }
    }

    private String tokenizer(Path work, String input) throws IOException {
        if (conf.getOptional(SipOptions.TOKENIZER_PATH).isPresent()) {
            return Files.readString(Path.of(conf.get(SipOptions.TOKENIZER_PATH)), StandardCharsets.UTF_8);
        }
        Path file = work.resolve("tokenizer.json");
        List<String> texts = readTexts(Path.of(input), 5000);
        long t0 = System.nanoTime();
        ByteLevelBpeTokenizer tokenizer = new ByteLevelBpeTrainer(2048).train(texts);
        tokenizer.save(file);
        out.printf("tokenizer   byte-level BPE, vocab %d, trained on %d documents in %.1f s -> %s%n",
                tokenizer.vocabSize(), texts.size(), (System.nanoTime() - t0) / 1e9, file);
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private List<String> readTexts(Path input, int limit) throws IOException {
        List<String> texts = new ArrayList<>();
        // Lines the job dead-letters teach the tokenizer nothing either.
        JsonlInput.documents(input, conf.get(SipOptions.INPUT_MAX_LINE_BYTES), d -> {
            texts.add(d.getText());
            return texts.size() < limit;
        });
        return texts;
    }

    /** Prints a line per new policy version until the job ends; returns the last step seen. */
    private long watch(JobClient job, WeightStore store, int expectedDocuments, long started) throws Exception {
        long lastStep = -1;
        long firstStep = -1;
        long firstStepNanos = 0;
        long lastNewStepNanos = System.nanoTime();
        long lastWaitingLineNanos = 0;
        int perStep = conf.get(SipOptions.EXAMPLES_PER_STEP);
        var result = job.getJobExecutionResult();
        while (!result.isDone()) {
            Thread.sleep(1000);
            for (String ns : store.namespaces()) {
                OptionalLong latest = store.latest(ns);
                if (latest.isEmpty() || latest.getAsLong() == lastStep || latest.getAsLong() == 0) {
                    long now = System.nanoTime();
                    if (now - lastNewStepNanos > 10e9 && now - lastWaitingLineNanos > 10e9) {
                        lastWaitingLineNanos = now;
                        store.progress(ns).ifPresent(p -> printWaiting(p));
                    }
                    continue;
                }
                lastNewStepNanos = System.nanoTime();
                lastStep = latest.getAsLong();
                var summary = store.summary(ns, lastStep);
                if (summary.isEmpty()) {
                    continue;
                }
                JsonNode u = JSON.readTree(summary.get());
                if (firstStep < 0) {
                    firstStep = lastStep - 1; // rates count from the step before the first one this run saw
                    firstStepNanos = started;
                }
                long examples = (lastStep - firstStep) * perStep;
                double elapsed = (System.nanoTime() - firstStepNanos) / 1e9;
                String eta = "";
                if (expectedDocuments > 0) {
                    double remaining = Math.max(0, expectedDocuments - lastStep * perStep) / (examples / elapsed);
                    eta = String.format("  eta %.0fs", remaining);
                }
                out.printf("step %5d  loss %7.4f  reward %s  rollout-chosen %s  %5.1f samples/s%s%n", lastStep,
                        u.path("loss").asDouble(), number(u.get("meanReward")), number(u.get("rolloutChosenRate")),
                        examples / elapsed, eta);
            }
        }
        try {
            JobExecutionResult r = result.get();
            out.printf("job ran     %.1f s%n", r.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0);
        } catch (Exception e) {
            if (!(e.getCause() != null && String.valueOf(e.getCause().getMessage()).contains("savepoint"))) {
                out.printf("job failed  %s%n", rootCause(e));
            }
        }
        return Math.max(lastStep, 0);
    }

    private void printWaiting(String progressJson) {
        try {
            JsonNode p = JSON.readTree(progressJson);
            JsonNode shards = p.path("waitingForShards");
            String why = shards.isArray() && shards.size() > 0
                    ? "waiting for shard(s) " + shards + ": in strict mode an idle shard holds every later step back"
                    : "samples still in rollout, rewrite or judging, or the input is idle";
            out.printf("waiting     step %d: %d of its %d samples accounted for (%d examples buffered at the "
                    + "learner); %s%n", p.path("window").asLong() + 1, p.path("accounted").asLong(),
                    p.path("windowSize").asLong(), p.path("pendingExamples").asLong(), why);
        } catch (IOException e) {
            // being replaced: the next poll reads it
        }
    }

    private static String number(JsonNode n) {
        return n == null || n.isNull() ? "   -  " : String.format("%6.3f", n.asDouble());
    }

    private Thread stopOnRequest(JobClient job, AtomicReference<String> savepoint) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.strip().equalsIgnoreCase("s")) {
                        stopWithSavepoint(job, savepoint);
                        return;
                    }
                }
            } catch (IOException e) {
                // stdin closed: no interactive stop
            }
        }, "flink-sip-stop-on-request");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void stopWithSavepoint(JobClient job, AtomicReference<String> savepoint) {
        try {
            if (job.getJobExecutionResult().isDone() || savepoint.get() != null) {
                return;
            }
            out.println("stopping    taking a savepoint...");
            savepoint.set(job.stopWithSavepoint(false, null, SavepointFormatType.CANONICAL).get(5, TimeUnit.MINUTES));
            out.printf("savepoint   %s%n", savepoint.get());
        } catch (Exception e) {
            out.printf("savepoint   failed: %s%n", e);
        }
    }
}
