package io.flinksip.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.config.CheckpointConfigFragments;
import io.flinksip.job.SipJob;
import io.flinksip.job.config.SipOptions;
import io.flinksip.model.LlamaModel;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.weights.WeightStore;
import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.Split;
import io.flinksip.world.WorldConfig;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The learner's checkpoints at scale, inside the job: next-token pretraining of a preset model on the reference
 * world's documents (RocksDB, incremental checkpoints), once with the learner's state by reference
 * ({@code sip.learner.state-by-reference}, the default) and once held in the checkpoint (the old way), same run.
 * For every completed checkpoint: the learner's synchronous and asynchronous time (Flink's checkpoint statistics) and
 * the bytes the checkpoint added: Flink's checkpointed size plus the state files written for it. The changing state
 * is what a step changes: weights and both AdamW moments (3 x 4 bytes a parameter), and in strict sync the previous
 * version a restore republishes (4 bytes a parameter more); the DPO reference is not used in NTP, so it is not in
 * either side.
 *
 * <p>Usage: {@code bench checkpoint [shapes] [steps] [interval seconds]} (default m100, 12 steps, 15 s; shapes
 * comma-separated, presets or dimensions as in {@link ModelShape} with the job's vocabulary and tied head, each run in
 * turn, with a summary table at the end; a fourth argument of flags: {@code by-reference} skips the runs that hold
 * the state in the checkpoint; {@code strict} runs in strict sync, whose learner also keeps the lag's previous
 * versions for restores; both: {@code by-reference,strict}).
 */
public final class CheckpointBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PER_STEP = 16;

    private CheckpointBench() {
    }

    record Checkpoint(long id, long syncMillis, long asyncMillis, long flinkBytes, long fileBytes) {
    }

    public static void main(String[] args) throws Exception {
        List<ModelShape> shapes = new ArrayList<>();
        for (String p : (args.length > 0 ? args[0] : "m100").split(",")) {
            ModelShape shape = ModelShape.parse(p);
            if (shape.vocab() != ModelShape.DEFAULT_VOCAB || !shape.tied()) {
                throw new IllegalArgumentException("the job's model takes its vocabulary from the tokenizer (here 2,048 "
                        + "tokens) and ties its head: " + p + " cannot be built by the job");
            }
            shapes.add(shape);
        }
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int interval = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        List<String> flags = args.length > 3 ? List.of(args[3].split(",")) : List.of();
        for (String f : flags) {
            if (!List.of("by-reference", "strict").contains(f)) {
                throw new IllegalArgumentException("flags are by-reference and strict, not " + f);
            }
        }
        boolean[] modes = flags.contains("by-reference") ? new boolean[] {true} : new boolean[] {true, false};
        boolean strict = flags.contains("strict");
        Path dir = Files.createTempDirectory("flink-sip-bench-checkpoint");
        ReferenceWorld world = ReferenceWorld.generate(WorldConfig.defaults());
        List<String> texts = world.texts(Split.TRAIN, steps * PER_STEP);
        Path input = dir.resolve("input");
        Files.createDirectories(input);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            lines.add(JSON.createObjectNode().put("id", "doc-" + i).put("text", texts.get(i)).toString());
        }
        Files.write(input.resolve("docs.jsonl"), lines);
        Path tokenizerFile = dir.resolve("tokenizer.json");
        new ByteLevelBpeTrainer(2048).train(texts).save(tokenizerFile);
        String tokenizerJson = Files.readString(tokenizerFile);
        List<String> summary = new ArrayList<>();
        for (ModelShape shape : shapes) {
            long params = LlamaModel.parameterCount(shape.config());
            // strict sync's lag (1) adds the previous version, which changes with every step as the weights do
            double changingMb = (strict ? 4.0 : 3.0) * 4 * params / 1e6;
            String name = shape.name();
            System.out.printf("%n%s: %,.1f M parameters; changing state (weights + 2 AdamW moments%s) %,.0f MB; "
                    + "NTP, %d steps of %d documents, checkpoints every %d s%s%n", name, params / 1e6,
                    strict ? " + the previous version" : "", changingMb, steps,
                    PER_STEP, interval, strict ? "; strict sync (lag 1: one previous version kept for restores)" : "");
            StringBuilder row = new StringBuilder(String.format("| %s | %,.1f M | %,.0f MB |", name, params / 1e6,
                    changingMb));
            for (boolean byReference : modes) {
                List<Checkpoint> cps = run(shape, byReference, strict,
                        dir.resolve(name + (byReference ? "-by-reference" : "-held")), input, tokenizerJson, interval);
                report(byReference ? "by reference" : "held in the checkpoint", cps, changingMb);
                row.append(summarise(cps, changingMb));
            }
            summary.add(row.toString());
        }
        System.out.printf("%n| shape | parameters | changing state | by reference: checkpoints, learner sync, bytes / "
                + "changing state | held in the checkpoint: checkpoints, learner sync, bytes / changing state |%n");
        System.out.println("| --- | --- | --- | --- | --- |");
        summary.forEach(System.out::println);
    }

    /** One cell: how many checkpoints completed, the range of the learner's sync time and of the size ratio. */
    private static String summarise(List<Checkpoint> cps, double changingMb) {
        if (cps.isEmpty()) {
            return " none completed |";
        }
        LongSummaryStatistics sync = cps.stream().mapToLong(Checkpoint::syncMillis).summaryStatistics();
        DoubleSummaryStatistics ratio = cps.stream()
                .mapToDouble(c -> (c.flinkBytes() + c.fileBytes()) / 1e6 / changingMb).summaryStatistics();
        return String.format(" %d, %,d–%,d ms, %.2f–%.2f |", cps.size(), sync.getMin(), sync.getMax(),
                ratio.getMin(), ratio.getMax());
    }

    private static void report(String name, List<Checkpoint> cps, double changingMb) {
        System.out.printf("%n%s: %d completed checkpoints%n", name, cps.size());
        System.out.println("| checkpoint | learner sync | learner async | Flink checkpointed | state files | total "
                + "| total / changing state |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (Checkpoint c : cps) {
            double total = (c.flinkBytes() + c.fileBytes()) / 1e6;
            System.out.printf("| %d | %,d ms | %,d ms | %,.1f MB | %,.1f MB | %,.1f MB | %.2f |%n", c.id(),
                    c.syncMillis(), c.asyncMillis(), c.flinkBytes() / 1e6, c.fileBytes() / 1e6, total,
                    total / changingMb);
        }
    }

    private static List<Checkpoint> run(ModelShape shape, boolean byReference, boolean strict, Path dir, Path input,
                                        String tokenizerJson, int interval) throws Exception {
        Configuration conf = new Configuration();
        conf.set(SipOptions.MODE, SipOptions.Mode.NTP);
        conf.set(SipOptions.HIDDEN_SIZE, shape.hiddenSize());
        conf.set(SipOptions.LAYERS, shape.layers());
        conf.set(SipOptions.INTERMEDIATE_SIZE, shape.intermediateSize());
        conf.set(SipOptions.HEADS, shape.heads());
        conf.set(SipOptions.EXAMPLES_PER_STEP, PER_STEP);
        conf.set(SipOptions.LEARNER_STATE_BY_REFERENCE, byReference);
        if (strict) {
            conf.set(SipOptions.SYNC_MODE, io.flinksip.sync.SyncMode.STRICT); // keeps the lag's versions for restores
        }
        Configuration flink = CheckpointConfigFragments.asConfiguration();
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").toUri().toString());
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, java.time.Duration.ofSeconds(interval));
        int port = freePort();
        flink.set(RestOptions.PORT, port);
        flink.addAll(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(1);
        String weights = dir.resolve("weights").toString();
        SipJob.build(env, SipJob.Settings.builder(conf).inputPath(input.toString()).tokenizerJson(tokenizerJson)
                .weightsDir(weights).outputDir(dir.resolve("out").toString()).build());
        JobClient job = env.executeAsync("bench checkpoint");
        java.util.Set<Long> completedOnce = new java.util.HashSet<>();
        String jobId = job.getJobID().toString();
        Path stateRoot = Path.of(new WeightStore(weights).learnerStateRoot(jobId));
        Map<String, Long> fileBytes = new TreeMap<>();
        Map<Long, Checkpoint> seen = new TreeMap<>();
        HttpClient http = HttpClient.newHttpClient();
        String learner = null;
        while (!job.getJobExecutionResult().isDone()) {
            recordStateFiles(stateRoot, fileBytes);
            try {
                if (learner == null) {
                    learner = learnerVertex(http, port, jobId);
                }
                collect(http, port, jobId, learner, fileBytes, seen, completedOnce);
            } catch (IOException e) {
                // between states of the job
            }
            Thread.sleep(250);
        }
        job.getJobExecutionResult().get();
        return new ArrayList<>(seen.values());
    }

    /**
     * Bytes of each directory of state files, read while they exist (files of superseded checkpoints go); a directory's
     * name ends in the checkpoint that wrote it.
     */
    private static void recordStateFiles(Path root, Map<String, Long> bytes) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (!Files.exists(d.resolve("manifest.json"))) {
                    continue; // still being written
                }
                long size;
                try (Stream<Path> files = Files.list(d)) {
                    size = files.mapToLong(f -> f.toFile().length()).sum();
                }
                bytes.merge(name, size, Math::max);
            }
        }
    }

    /**
     * @param completedOnce checkpoints seen complete in an earlier poll: a checkpoint is taken one poll after, so that
     *     its files were listed before
     */
    private static void collect(HttpClient http, int port, String jobId, String learner, Map<String, Long> files,
                                Map<Long, Checkpoint> seen, java.util.Set<Long> completedOnce)
            throws IOException, InterruptedException {
        JsonNode history = get(http, port, "/jobs/" + jobId + "/checkpoints").path("history");
        for (JsonNode c : history) {
            long id = c.path("id").asLong();
            if (!"COMPLETED".equals(c.path("status").asText()) || seen.containsKey(id)) {
                continue;
            }
            if (completedOnce.add(id)) {
                continue;
            }
            JsonNode sub = get(http, port, "/jobs/" + jobId + "/checkpoints/details/" + id + "/subtasks/" + learner)
                    .path("subtasks").path(0).path("checkpoint");
            seen.put(id, new Checkpoint(id, sub.path("sync").asLong(), sub.path("async").asLong(),
                    c.path("checkpointed_size").asLong(), writtenFor(id, files)));
        }
    }

    /** The bytes of the state files checkpoint {@code id} wrote (trainer, reference, previous versions). */
    private static long writtenFor(long id, Map<String, Long> files) {
        long sum = 0;
        for (Map.Entry<String, Long> f : files.entrySet()) {
            if (f.getKey().endsWith("-" + id)) {
                sum += f.getValue();
            }
        }
        return sum;
    }

    private static String learnerVertex(HttpClient http, int port, String jobId)
            throws IOException, InterruptedException {
        for (JsonNode v : get(http, port, "/jobs/" + jobId).path("vertices")) {
            if (v.path("name").asText().toLowerCase(Locale.ROOT).contains("learner")) {
                return v.path("id").asText();
            }
        }
        throw new IOException("no learner vertex yet");
    }

    private static JsonNode get(HttpClient http, int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(path + ": HTTP " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
