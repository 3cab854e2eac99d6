package io.flinksip.job.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinksip.job.Charts;
import io.flinksip.job.EmbeddedRun;
import io.flinksip.job.InputCensus;
import io.flinksip.job.JsonlInput;
import io.flinksip.job.RunAccounting;
import io.flinksip.job.SipJob;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.config.StageConfigs;
import io.flinksip.schema.TrainingExample;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import io.flinksip.world.CorpusWriter;
import io.flinksip.world.ReferenceWorld;
import io.flinksip.world.Split;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The job as it runs for weeks, compressed: a monitored directory into which new JSONL files keep arriving, a savepoint
 * every few minutes, an injected task failure every few minutes, and the process's memory sampled throughout. At the
 * end the feeding stops, the job catches up, and every document fed must be accounted for. Writes {@code soak.json}
 * and {@code soak.png}; the figure that matters is the memory growth after warm-up (a leak of native tensors is the
 * classic failure of JVM code on PyTorch).
 */
public final class SoakRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param duration how long documents keep arriving
     * @param warmUp samples before this are left out of the growth figures (JIT, caches, RocksDB's first flushes)
     */
    public record Options(Duration duration, Duration warmUp, Duration feedEvery, int documentsPerFile,
                          Duration savepointEvery, Duration failEvery, Duration sampleEvery, Path work) {
        public static Options forMinutes(int minutes, Path work) {
            Duration d = Duration.ofMinutes(minutes);
            Duration warmUp = Duration.ofMinutes(Math.min(5, Math.max(1, minutes / 6)));
            return new Options(d, warmUp, Duration.ofSeconds(10), 40, Duration.ofMinutes(Math.min(5, minutes / 3 + 1)),
                    Duration.ofMinutes(Math.min(7, minutes / 3 + 1)).plusSeconds(30), Duration.ofSeconds(5), work);
        }
    }

    /** What the soak saw. Growth figures compare the first and last minute after warm-up. */
    public record Result(int files, long documents, int savepoints, int savepointFailures, int failuresInjected,
                         int taskStarts, RunAccounting accounting, double rssGrowthPercent, double rssSlopeMbPerHour,
                         double outsideHeapGrowthPercent, Path report) {
        public boolean accounted() {
            return accounting != null && accounting.holdsForFinishedRun();
        }
    }

    private final Options options;
    private final PrintStream out;

    public SoakRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public Result run() throws Exception {
        Path work = options.work().toAbsolutePath();
        Path input = work.resolve("input");
        if (Files.exists(input)) {
            throw new IllegalArgumentException(input + " exists: a soak starts from an empty work directory");
        }
        Files.createDirectories(input);
        Configuration conf = new Configuration();
        conf.set(SipOptions.WORK_DIR, work.toString());
        conf.set(SipOptions.INPUT_PATH, input.toString());
        conf.set(SipOptions.INPUT_MONITOR_INTERVAL, Duration.ofSeconds(1));
        List<ObjectNode> pool = documentPool(conf, work);
        String tokenizerJson = tokenizer(pool, work);
        SipJob.Settings settings = SipJob.Settings.builder(conf).inputPath(input.toString())
                .tokenizerJson(tokenizerJson).backends(StageConfigs.fromConfiguration(conf).backends())
                .weightsDir(work.resolve("weights").toString()).exportDir(work.resolve("export").toString())
                .outputDir(work.resolve("output").toString()).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                EmbeddedRun.localClusterConfiguration(conf, work));
        env.setParallelism(1);
        SipJob.build(env, settings, examples -> examples.map(new FailureInjector<TrainingExample>())
                .returns(TypeInformation.of(TrainingExample.class)).uid("soak-failures"));
        FailureInjector.OPENED.set(0);
        printHeapSizing();
        JobClient job = env.executeAsync("flink-sip soak");
        out.printf("soak        %s for %d min: a file of %d documents every %d s, a savepoint every %d s, a task "
                        + "failure every %d s, memory every %d s%n", job.getJobID(), options.duration().toMinutes(),
                options.documentsPerFile(), options.feedEvery().toSeconds(), options.savepointEvery().toSeconds(),
                options.failEvery().toSeconds(), options.sampleEvery().toSeconds());

        MemorySampler sampler = new MemorySampler();
        List<MemorySampler.Sample> samples = new ArrayList<>();
        List<Map<String, Object>> events = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + options.duration().toNanos();
        long nextFeed = start;
        long nextSample = start;
        long nextSavepoint = start + options.savepointEvery().toNanos();
        long nextFailure = start + options.failEvery().toNanos();
        long nextReport = start + TimeUnit.MINUTES.toNanos(1);
        int files = 0;
        long documents = 0;
        int savepoints = 0;
        int savepointFailures = 0;
        int failures = 0;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (job.getJobExecutionResult().isDone()) {
                job.getJobExecutionResult().get(); // the job failed past its restart strategy: say why
                throw new IllegalStateException("the soaked job ended by itself");
            }
            if (now >= nextFeed) {
                documents += feed(input, pool, files++);
                nextFeed += options.feedEvery().toNanos();
            }
            if (now >= nextSample) {
                samples.add(sampler.sample());
                nextSample += options.sampleEvery().toNanos();
            }
            if (now >= nextSavepoint) {
                double t = sampler.sample().seconds();
                try {
                    String path = job.triggerSavepoint(EmbeddedRun.flinkPath(work.resolve("savepoints")),
                            SavepointFormatType.CANONICAL).get(3, TimeUnit.MINUTES);
                    savepoints++;
                    events.add(Map.of("seconds", t, "event", "savepoint", "path", path));
                } catch (Exception e) {
                    savepointFailures++;
                    events.add(Map.of("seconds", t, "event", "savepoint failed", "cause",
                            String.valueOf(e.getCause() == null ? e : e.getCause())));
                }
                nextSavepoint = System.nanoTime() + options.savepointEvery().toNanos();
            }
            if (now >= nextFailure) {
                FailureInjector.FAIL_NEXT.set(true);
                failures++;
                events.add(Map.of("seconds", sampler.sample().seconds(), "event", "task failure injected"));
                nextFailure += options.failEvery().toNanos();
            }
            if (now >= nextReport) {
                report(sampler.sample(), files, documents, savepoints, failures, work);
                nextReport += TimeUnit.MINUTES.toNanos(1);
            }
            Thread.sleep(50);
        }
        FailureInjector.FAIL_NEXT.set(false);
        out.printf("soak        feeding stopped after %d files (%,d documents); waiting for the job to catch up%n",
                files, documents);
        RunAccounting accounting = catchUp(input, work, sampler, samples);
        job.cancel().get(1, TimeUnit.MINUTES);

        List<MemorySampler.Sample> steady = samples.stream()
                .filter(s -> s.seconds() >= options.warmUp().toSeconds() && s.seconds() <= options.duration()
                        .toSeconds()).toList();
        double rssGrowth = growthPercent(steady, MemorySampler.Sample::rssMb);
        double outsideGrowth = growthPercent(steady, MemorySampler.Sample::outsideHeapMb);
        double slope = slopePerHour(steady);
        Path report = writeReport(work, samples, events, accounting, rssGrowth, outsideGrowth, slope, files,
                documents, savepoints, savepointFailures, failures);
        Result r = new Result(files, documents, savepoints, savepointFailures, failures, FailureInjector.OPENED.get(),
                accounting, rssGrowth, slope, outsideGrowth, report);
        out.printf("memory      RSS %+.1f%% (%+.0f MB/h), outside the heap %+.1f%%, from minute %.1f to minute %.1f%n",
                rssGrowth, slope, outsideGrowth, options.warmUp().toSeconds() / 60.0,
                options.duration().toSeconds() / 60.0);
        out.printf("faults      %d savepoints (%d failed), %d task failures injected, %d task starts%n", savepoints,
                savepointFailures, failures, r.taskStarts());
        for (String line : accounting.describe(true)) {
            out.printf("accounting  %s%n", line);
        }
        out.printf("report      %s, %s%n", report, work.resolve("soak.png"));
        return r;
    }

    private void report(MemorySampler.Sample s, int files, long documents, int savepoints, int failures, Path work) {
        long trained = -1;
        try {
            trained = RunAccounting.of(null, work.resolve("output")).trained();
        } catch (IOException e) {
            // outputs being written: the next report has them
        }
        out.printf("soak %5.1f min  rss %,.0f MB (outside heap %,.0f)  heap %,.0f/%,.0f MB  fed %d files, %,d docs  "
                        + "trained %,d  savepoints %d  failures %d%n", s.seconds() / 60, s.rssMb(), s.outsideHeapMb(),
                s.heapUsedMb(), s.heapCommittedMb(), files, documents, trained, savepoints, failures);
    }

    /** Waits until every document fed is trained or dead-lettered (at most five minutes), sampling on. */
    private RunAccounting catchUp(Path input, Path work, MemorySampler sampler, List<MemorySampler.Sample> samples)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        RunAccounting a = null;
        while (System.nanoTime() < deadline) {
            InputCensus census = InputCensus.of(input, 4 << 20).orElseThrow();
            a = RunAccounting.of(census, work.resolve("output"));
            if (a.unaccounted() <= 0 && a.gaps() == 0) {
                return a;
            }
            samples.add(sampler.sample());
            Thread.sleep(options.sampleEvery().toMillis());
        }
        return a;
    }

    /** Writes one file of the pool's documents under fresh ids, atomically (the source skips hidden files). */
    private long feed(Path input, List<ObjectNode> pool, int file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < options.documentsPerFile(); i++) {
            ObjectNode doc = pool.get((file * options.documentsPerFile() + i) % pool.size()).deepCopy();
            doc.put("id", String.format("f%05d-%s", file, doc.path("id").asText()));
            sb.append(JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc)).append('\n');
        }
        Path tmp = input.resolve(String.format(".docs-%05d.jsonl.tmp", file));
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, input.resolve(String.format("docs-%05d.jsonl", file)), StandardCopyOption.ATOMIC_MOVE);
        return options.documentsPerFile();
    }

    private List<ObjectNode> documentPool(Configuration conf, Path work) throws IOException {
        CorpusWriter.WrittenCorpus corpus = CorpusWriter.write(
                ReferenceWorld.generate(StageConfigs.fromConfiguration(conf).world()),
                work.resolve("world"));
        Path train = work.resolve("world").resolve(CorpusWriter.documentsFile(Split.TRAIN));
        List<ObjectNode> pool = new ArrayList<>();
        JsonlInput.documents(train, conf.get(SipOptions.INPUT_MAX_LINE_BYTES), d -> {
            ObjectNode doc = JSON.createObjectNode().put("id", d.getId()).put("text", d.getText())
                    .put("timestamp", d.getEventTimeMillis());
            if (d.getAttributes() != null && !d.getAttributes().isEmpty()) {
                ObjectNode attributes = doc.putObject("attributes");
                d.getAttributes().forEach((k, v) -> attributes.put(k.toString(), v.toString()));
            }
            pool.add(doc);
            return true;
        });
        out.printf("world       %d documents to cycle through (%d in the world)%n", pool.size(),
                corpus.trainDocuments());
        return pool;
    }

    private static String tokenizer(List<ObjectNode> pool, Path work) throws IOException {
        List<String> texts = pool.stream().limit(5000).map(d -> d.path("text").asText()).toList();
        Path file = work.resolve("tokenizer.json");
        new ByteLevelBpeTrainer(2048).train(texts).save(file);
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Whether the JVM's heap cannot grow (initial = maximum), as a TaskManager's heap under Flink's memory model. */
    static boolean heapFixed() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getMax() > 0 && heap.getInit() == heap.getMax();
    }

    /** RSS growth means something else when the JVM may still grow its heap: say which kind of run this is. */
    private void printHeapSizing() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        if (heapFixed()) {
            out.printf("memory      heap fixed at %,d MiB, as on a TaskManager: RSS growth is what the process "
                    + "keeps%n", heap.getMax() >> 20);
        } else {
            out.printf("memory      heap sized by the JVM (initial %,d MiB, up to %,d MiB): RSS also grows when "
                    + "the JVM enlarges its heap, which is no leak; to measure as on a TaskManager, fix it: "
                    + "FLINK_SIP_JAVA_OPTS=\"-Xms1g -Xmx1g -XX:+AlwaysPreTouch\"%n", heap.getInit() >> 20,
                    heap.getMax() >> 20);
        }
    }

    /** Change from the mean of the first minute after warm-up to the mean of the last minute, in percent. */
    static double growthPercent(List<MemorySampler.Sample> steady,
                                java.util.function.ToDoubleFunction<MemorySampler.Sample> value) {
        if (steady.size() < 2) {
            return Double.NaN;
        }
        double t0 = steady.get(0).seconds();
        double t1 = steady.get(steady.size() - 1).seconds();
        double first = steady.stream().filter(s -> s.seconds() <= t0 + 60).mapToDouble(value).average().orElseThrow();
        double last = steady.stream().filter(s -> s.seconds() >= t1 - 60).mapToDouble(value).average().orElseThrow();
        return 100 * (last - first) / first;
    }

    /** Least-squares slope of RSS over time, in MB per hour. */
    static double slopePerHour(List<MemorySampler.Sample> steady) {
        int n = steady.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mt = steady.stream().mapToDouble(MemorySampler.Sample::seconds).average().orElseThrow();
        double mr = steady.stream().mapToDouble(MemorySampler.Sample::rssMb).average().orElseThrow();
        double num = 0;
        double den = 0;
        for (MemorySampler.Sample s : steady) {
            num += (s.seconds() - mt) * (s.rssMb() - mr);
            den += (s.seconds() - mt) * (s.seconds() - mt);
        }
        return den == 0 ? 0 : num / den * 3600;
    }

    private Path writeReport(Path work, List<MemorySampler.Sample> samples, List<Map<String, Object>> events,
                             RunAccounting accounting, double rssGrowth, double outsideGrowth, double slope, int files,
                             long documents, int savepoints, int savepointFailures, int failures) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("minutes", options.duration().toSeconds() / 60.0);
        json.put("heapFixed", heapFixed());
        json.put("warmUpMinutes", options.warmUp().toSeconds() / 60.0);
        json.put("files", files);
        json.put("documents", documents);
        json.put("savepoints", savepoints);
        json.put("savepointFailures", savepointFailures);
        json.put("failuresInjected", failures);
        json.put("taskStarts", FailureInjector.OPENED.get());
        json.put("rssGrowthPercentAfterWarmUp", rssGrowth);
        json.put("rssSlopeMbPerHourAfterWarmUp", slope);
        json.put("outsideHeapGrowthPercentAfterWarmUp", outsideGrowth);
        json.put("accounting", accounting == null ? null : accounting.describe(true));
        json.put("accounted", accounting != null && accounting.holdsForFinishedRun());
        json.put("events", events);
        List<Map<String, Double>> rows = new ArrayList<>();
        for (MemorySampler.Sample s : samples) {
            rows.add(Map.of("seconds", s.seconds(), "rssMb", s.rssMb(), "heapUsedMb", s.heapUsedMb(),
                    "heapCommittedMb", s.heapCommittedMb()));
        }
        json.put("samples", rows);
        Path report = work.resolve("soak.json");
        JSON.writeValue(report.toFile(), json);
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        series.put("RSS", samples.stream().map(s -> new double[] {s.seconds() / 60, s.rssMb()}).toList());
        series.put("outside the heap", samples.stream().map(s -> new double[] {s.seconds() / 60, s.outsideHeapMb()})
                .toList());
        series.put("heap used", samples.stream().map(s -> new double[] {s.seconds() / 60, s.heapUsedMb()}).toList());
        Files.write(work.resolve("soak.png"), Charts.lines("flink-sip soak: process memory", "minutes", "MiB",
                series));
        return report;
    }
}
