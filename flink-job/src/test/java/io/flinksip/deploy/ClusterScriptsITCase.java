package io.flinksip.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.job.InputCensus;
import io.flinksip.job.RunAccounting;
import io.flinksip.job.support.DeployScript;
import io.flinksip.job.support.NetworkNamespaces;
import io.flinksip.job.support.PublishedSteps;
import io.flinksip.job.support.TestCorpus;
import io.flinksip.weights.WeightStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The deploy scripts against a real multi-process standalone cluster (JobManager and TaskManager JVMs from the Maven
 * classpath): submit, kill -9 the TaskManager and start a new one, stop with a savepoint, resume from it at another
 * parallelism with more input (a second submission to the same TaskManager: DJL's natives must not load twice), and
 * check that steps continue without gap or repeat in the exactly-once output. Every process is cleaned up.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClusterScriptsITCase {
    private static final Duration WAIT = Duration.ofMinutes(3);

    private static final Path SCRIPT = Path.of("..", "deploy", "cluster.sh").toAbsolutePath();
    private static final Path KAFKA = Path.of("..", "deploy", "kafka.sh").toAbsolutePath();
    private final Map<String, String> env = new HashMap<>();
    private Path log;
    private boolean brokerStarted;
    private NetworkNamespaces namespaces;

    @AfterEach
    void stopCluster() throws Exception {
        try {
            if (!env.isEmpty()) {
                run(60, "stop");
            }
            if (brokerStarted) {
                script(KAFKA, 60, "stop");
            }
        } finally {
            if (namespaces != null) {
                namespaces.close();
            }
        }
    }

    private String run(int timeoutSeconds, String... args) throws Exception {
        return script(SCRIPT, timeoutSeconds, args);
    }

    private String script(Path script, int timeoutSeconds, String... args) throws Exception {
        return DeployScript.run(script, env, log, timeoutSeconds, args);
    }

    @Test
    void killRecoverSavepointResumeAtAnotherParallelism(@TempDir Path dir) throws Exception {
        log = dir.resolve("scripts.log");
        int port = freePort();
        env.put("FLINK_SIP_CLUSTER_DIR", dir.resolve("cluster").toString());
        env.put("FLINK_SIP_REST_PORT", String.valueOf(port));
        env.put("FLINK_SIP_RPC_PORT", String.valueOf(freePort()));
        TestCorpus corpus = TestCorpus.create(dir, 400, List.of());
        Path tokenizer = dir.resolve("tokenizer.json");
        Files.writeString(tokenizer, corpus.tokenizerJson);
        Path weights = dir.resolve("weights");
        Path output = dir.resolve("output");
        // The README's sequence, in SIP mode: rollouts, judges and flow control on a real multi-process cluster.
        List<String> job = List.of("-Dsip.mode=SIP", "-Dsip.rollout.count=2", "-Dsip.input.path=" + corpus.input,
                "-Dsip.input.monitor-interval=1s", "-Dsip.tokenizer.path=" + tokenizer,
                "-Dsip.weights.dir=" + weights, "-Dsip.output.path=" + output, "-Dsip.export.dir=" + dir.resolve("e"),
                "-Dsip.segment.suffix-tokens=12", "-Dsip.segment.max-prefix-tokens=32",
                "-Dsip.segment.min-prefix-tokens=8", "-Dsip.learner.examples-per-step=4",
                "-Dsip.model.hidden-size=32", "-Dsip.model.intermediate-size=64", "-Dsip.model.layers=1",
                "-Dsip.model.heads=2", "-Dexecution.checkpointing.interval=1s");
        WeightStore store = new WeightStore(weights.toString());

        run(180, "start");
        List<String> submit = new ArrayList<>(List.of("submit"));
        submit.addAll(job);
        run(120, submit.toArray(new String[0]));
        long beforeKill = PublishedSteps.await(store, 20, WAIT);
        run(30, "kill-taskmanager");
        run(30, "start-taskmanager");
        long afterRecovery = PublishedSteps.await(store, ns -> !ns.endsWith("-0"), beforeKill + 5, WAIT);
        assertTrue(afterRecovery > beforeKill, "the job recovered on the new TaskManager and trains on");

        String jobId = runningJob(port);
        String stopped = run(120, "stop-job", jobId);
        String savepoint = stopped.lines().filter(l -> l.contains("Savepoint completed. Path: "))
                .map(l -> l.substring(l.indexOf("Path: ") + 6).trim()).findFirst()
                .orElseThrow(() -> new AssertionError(stopped));
        List<Long> first = committedSteps(output);
        long s = first.get(first.size() - 1);
        assertEquals(rangeTo(s), first, "steps 1..S committed once each");

        List<String> more = new ArrayList<>();
        for (String line : Files.readAllLines(corpus.input.resolve("docs.jsonl"))) {
            more.add(line.replace("\"doc-", "\"more-"));
        }
        Files.write(corpus.input.resolve("docs-2.jsonl"), more);
        List<String> resume = new ArrayList<>(List.of("resume", savepoint, "-p", "2"));
        resume.addAll(job);
        run(120, resume.toArray(new String[0]));
        PublishedSteps.await(store, 800 / 4, WAIT); // both files, to the last step
        run(120, "stop-job", runningJob(port));
        List<Long> all = committedSteps(output);
        assertEquals(rangeTo(all.get(all.size() - 1)), all, "steps continue after S without gap or repeat");

        // What `./flink-sip account` checks: every input line trained or dead-lettered, each exactly once.
        RunAccounting accounting = RunAccounting.of(InputCensus.of(corpus.input, 4 << 20).orElseThrow(), output);
        assertTrue(accounting.holdsForFinishedRun(), String.join("\n", accounting.describe(true)));
        assertEquals(800, accounting.lines());
        assertEquals(0L, accounting.deadLetters().get("stale"));
    }

    /**
     * The broker script and the cluster scripts together: Avro documents produced with `flink-sip produce` into a
     * KRaft broker started by deploy/kafka.sh, the job on the standalone cluster reading them and writing policy
     * updates back exactly-once; after a stop with savepoint every document is trained once.
     */
    @Test
    void kafkaInAndOutOnTheStandaloneCluster(@TempDir Path dir) throws Exception {
        log = dir.resolve("scripts.log");
        int kafkaPort = freePort();
        env.put("FLINK_SIP_KAFKA_DIR", dir.resolve("kafka").toString());
        env.put("FLINK_SIP_KAFKA_PORT", String.valueOf(kafkaPort));
        env.put("FLINK_SIP_KAFKA_CONTROLLER_PORT", String.valueOf(freePort()));
        script(KAFKA, 180, "start");
        brokerStarted = true;
        script(KAFKA, 60, "create-topic", "documents", "2");
        script(KAFKA, 60, "create-topic", "updates", "1");
        String bootstrap = "localhost:" + kafkaPort;
        TestCorpus corpus = TestCorpus.create(dir, 60, List.of());
        Path jar = Path.of("target", "flink-sip.jar").toAbsolutePath();
        Process produce = new ProcessBuilder("java", "-jar", jar.toString(), "produce", "--bootstrap", bootstrap,
                "--topic", "documents", "--input", corpus.input.resolve("docs.jsonl").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        assertTrue(produce.waitFor(120, TimeUnit.SECONDS) && produce.exitValue() == 0, Files.readString(log));

        env.put("FLINK_SIP_CLUSTER_DIR", dir.resolve("cluster").toString());
        int port = freePort();
        env.put("FLINK_SIP_REST_PORT", String.valueOf(port));
        env.put("FLINK_SIP_RPC_PORT", String.valueOf(freePort()));
        Path tokenizer = dir.resolve("tokenizer.json");
        Files.writeString(tokenizer, corpus.tokenizerJson);
        WeightStore store = new WeightStore(dir.resolve("weights").toString());
        run(180, "start");
        run(120, "submit", "-Dsip.mode=NTP", "-Dsip.kafka.bootstrap-servers=" + bootstrap,
                "-Dsip.kafka.input.topics=documents", "-Dsip.kafka.output.policy-updates-topic=updates",
                "-Dsip.tokenizer.path=" + tokenizer, "-Dsip.weights.dir=" + dir.resolve("weights"),
                "-Dsip.segment.suffix-tokens=12", "-Dsip.segment.max-prefix-tokens=32",
                "-Dsip.segment.min-prefix-tokens=8", "-Dsip.learner.examples-per-step=4",
                "-Dsip.model.hidden-size=32", "-Dsip.model.intermediate-size=64", "-Dsip.model.layers=1",
                "-Dsip.model.heads=2", "-Dexecution.checkpointing.interval=1s");
        PublishedSteps.await(store, 15, WAIT);
        run(120, "stop-job", runningJob(port));

        Process tail = new ProcessBuilder("java", "-jar", jar.toString(), "tail", "--bootstrap", bootstrap,
                "--topic", "updates", "--limit", "15", "--seconds", "60").redirectErrorStream(false).start();
        String printed = new String(tail.getInputStream().readAllBytes());
        assertTrue(tail.waitFor(90, TimeUnit.SECONDS));
        List<Long> steps = new ArrayList<>();
        List<String> trained = new ArrayList<>();
        for (String line : printed.lines().toList()) {
            JsonNode u = new ObjectMapper().readTree(line);
            steps.add(u.get("step").asLong());
            u.get("trainedSamples").forEach(t -> trained.add(t.asText()));
        }
        steps.sort(null);
        assertEquals(rangeTo(15), steps, "committed updates 1..15 once each, read with read_committed");
        assertEquals(60, trained.size());
        assertEquals(60, new java.util.HashSet<>(trained).size(), "every produced document trained once");
    }

    /** Where the "hosts" of the multi-host test are. */
    enum Hosts {
        /** Loopback aliases 127.0.0.2-5: separate addresses, one network stack. */
        LOOPBACK_ALIASES,
        /** A network namespace per host on a private bridge: separate stacks, nothing shared but the file system. */
        NETWORK_NAMESPACES
    }

    /** The address of each host (jm, a, b, c) and how to run a script there. */
    private record Placement(Map<String, String> addresses, Function<String, List<String>> on) {
    }

    private Placement place(Hosts hosts) throws IOException {
        if (hosts == Hosts.LOOPBACK_ALIASES) {
            return new Placement(Map.of("jm", "127.0.0.2", "a", "127.0.0.3", "b", "127.0.0.4", "c", "127.0.0.5"),
                    host -> List.of());
        }
        String why = NetworkNamespaces.unavailableBecause();
        assumeTrue(why == null, "skipped: " + why);
        namespaces = new NetworkNamespaces(List.of("jm", "a", "b", "c"));
        Map<String, String> addresses = new HashMap<>();
        for (String host : List.of("jm", "a", "b", "c")) {
            addresses.put(host, namespaces.address(host));
        }
        return new Placement(addresses, namespaces::on);
    }

    /**
     * The cluster scripts with every process on its own host: a JobManager, two TaskManagers of one slot each, the
     * job with two rollout subtasks, which must land on different TaskManagers; the TaskManager holding one of them is
     * killed and a third one joins. Training goes on, and at the end every input line is trained or dead-lettered
     * exactly once. In network namespaces no process can reach another through localhost or the machine's own
     * address: what a TaskManager announces and what the JobManager binds to must be right. Test and hosts share the
     * file system, as a real cluster shares its weight store, checkpoints and output.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Hosts.class)
    void aClusterOfSeparateHostsLosesATaskManagerHoldingARolloutAndGoesOn(Hosts hosts, @TempDir Path dir)
            throws Exception {
        log = dir.resolve("scripts.log");
        Placement placement = place(hosts);
        String jm = placement.addresses().get("jm");
        int port = freePort();
        env.put("FLINK_SIP_CLUSTER_DIR", dir.resolve("cluster").toString());
        env.put("FLINK_SIP_REST_PORT", String.valueOf(port));
        env.put("FLINK_SIP_RPC_PORT", String.valueOf(freePort()));
        env.put("FLINK_SIP_SLOTS", "1");
        env.put("FLINK_SIP_JOBMANAGER_HOST", jm);
        TestCorpus corpus = TestCorpus.create(dir, 400, List.of());
        Path tokenizer = dir.resolve("tokenizer.json");
        Files.writeString(tokenizer, corpus.tokenizerJson);
        Path output = dir.resolve("output");
        WeightStore store = new WeightStore(dir.resolve("weights").toString());

        DeployScript.run(placement.on().apply("jm"), SCRIPT, env, log, 180, "start-jobmanager");
        startTaskManager(placement, "tm-a", "a");
        startTaskManager(placement, "tm-b", "b");
        run(120, "submit", "-Dsip.mode=SIP", "-Dsip.rollout.count=2", "-Dparallelism.default=2",
                "-Dsip.rollout.parallelism=2", "-Dsip.judge.parallelism=2", "-Dsip.input.path=" + corpus.input,
                "-Dsip.tokenizer.path=" + tokenizer, "-Dsip.weights.dir=" + dir.resolve("weights"),
                "-Dsip.output.path=" + output, "-Dsip.segment.suffix-tokens=12", "-Dsip.segment.max-prefix-tokens=32",
                "-Dsip.segment.min-prefix-tokens=8", "-Dsip.learner.examples-per-step=4",
                "-Dsip.model.hidden-size=32", "-Dsip.model.intermediate-size=64", "-Dsip.model.layers=1",
                "-Dsip.model.heads=2", "-Dexecution.checkpointing.interval=1s");
        String jobId = runningJob(jm, port);
        long beforeKill = PublishedSteps.await(store, 10, WAIT);
        Map<Integer, String> rollouts = rolloutHosts(jm, port, jobId);
        assertEquals(2, rollouts.size(), "two rollout subtasks: " + rollouts);
        assertEquals(Set.of(placement.addresses().get("a"), placement.addresses().get("b")),
                new HashSet<>(rollouts.values()), "each TaskManager, on its own address, holds one rollout subtask");

        run(30, "kill-taskmanager", "tm-a");
        startTaskManager(placement, "tm-c", "c");
        long afterRecovery = awaitRecoverySupervised(placement, store, beforeKill + 5, jm, port, jobId,
                dir.resolve("cluster"));
        assertTrue(afterRecovery > beforeKill, "the job recovered onto tm-b and tm-c and trains on");
        assertTrue(rolloutHosts(jm, port, jobId).containsValue(placement.addresses().get("c")),
                "a rollout subtask now runs on the TaskManager that joined");

        waitForFinished(jm, port, jobId);
        List<Long> steps = committedSteps(output);
        assertEquals(rangeTo(steps.get(steps.size() - 1)), steps, "steps without gap or repeat across the loss");
        RunAccounting accounting = RunAccounting.of(InputCensus.of(corpus.input, 4 << 20).orElseThrow(), output);
        assertTrue(accounting.holdsForFinishedRun(), String.join("\n", accounting.describe(true)));
        assertEquals(400, accounting.lines());
    }

    /**
     * Waits for the recovered job to train on, acting as the cluster's process supervisor (systemd, a Kubernetes
     * Deployment) would: a surviving TaskManager that exits meanwhile is restarted, and reported with its errors on
     * stderr and its whole log kept under target/cluster-logs. The test is about the job's recovery; a second lost
     * TaskManager without a replacement would leave the job one slot short for good. Flink 2.2.1 does take one down
     * now and then (in 3 of 7 full test runs here): a task reading a record that spans network buffers from the lost
     * TaskManager hands those buffers back while cleaning up, the input channel throws its stored connection error
     * from inside the task's failure handler ("FATAL - exception in exception handler"), and the TaskManager exits.
     */
    private long awaitRecoverySupervised(Placement placement, WeightStore store, long step, String jm, int port,
                                         String jobId, Path clusterDir) throws Exception {
        Map<String, String> survivors = Map.of("tm-b", "b", "tm-c", "c");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return PublishedSteps.await(store, ns -> !ns.endsWith("-0"), step, Duration.ofSeconds(5));
            } catch (AssertionError notYet) {
                for (Map.Entry<String, String> tm : survivors.entrySet()) {
                    if (!alive(clusterDir, tm.getKey())) {
                        reportExited(clusterDir, tm.getKey(), jobId);
                        startTaskManager(placement, tm.getKey(), tm.getValue());
                        deadline = System.nanoTime() + WAIT.toNanos(); // a new TaskManager, a new recovery
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(notYet.getMessage() + " (waited " + WAIT + ")"
                            + clusterState(jm, port, jobId, clusterDir), notYet);
                }
            }
        }
    }

    private static boolean alive(Path clusterDir, String name) throws IOException {
        Path pid = clusterDir.resolve("pids").resolve(name);
        return Files.exists(pid) && ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
                .map(ProcessHandle::isAlive).orElse(false);
    }

    private static void reportExited(Path clusterDir, String name, String jobId) throws IOException {
        Path logFile = clusterDir.resolve("log").resolve(name + ".log");
        List<String> lines = Files.exists(logFile) ? Files.readAllLines(logFile) : List.of();
        Path kept = Path.of("target", "cluster-logs", jobId);
        Files.createDirectories(kept);
        if (Files.exists(logFile)) {
            Files.copy(logFile, kept.resolve(name + "-exited.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        System.err.println("SUPERVISOR: TaskManager " + name + " exited during the recovery and is restarted; its "
                + "whole log: " + kept.resolve(name + "-exited.log").toAbsolutePath() + "\n--- its first errors ---\n"
                + errorsWithContext(lines) + "--- its last 40 lines ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }

    private void startTaskManager(Placement placement, String name, String host) throws Exception {
        env.put("FLINK_SIP_TASKMANAGER_HOST", placement.addresses().get(host));
        DeployScript.run(placement.on().apply(host), SCRIPT, env, log, 60, "start-taskmanager", name);
        env.remove("FLINK_SIP_TASKMANAGER_HOST");
    }

    /** Rollout subtask index → the host of the TaskManager it runs on, from the JobManager's REST API. */
    private static Map<Integer, String> rolloutHosts(String host, int port, String jobId) throws Exception {
        JsonNode job = rest(host, port, "/jobs/" + jobId);
        for (JsonNode v : job.get("vertices")) {
            if (v.get("name").asText().toLowerCase().contains("rollout")) {
                Map<Integer, String> hosts = new HashMap<>();
                for (JsonNode t : rest(host, port, "/jobs/" + jobId + "/vertices/" + v.get("id").asText())
                        .get("subtasks")) {
                    if (t.get("status").asText().equals("RUNNING")) {
                        String endpoint = t.has("endpoint") ? t.get("endpoint").asText() : t.get("host").asText();
                        hosts.put(t.get("subtask").asInt(), endpoint.replaceAll(":\\d+$", ""));
                    }
                }
                return hosts;
            }
        }
        throw new AssertionError("no rollout vertex in " + job);
    }

    private static void waitForFinished(String host, int port, String jobId) throws Exception {
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline) {
            String state = rest(host, port, "/jobs/" + jobId).get("state").asText();
            if (state.equals("FINISHED")) {
                return;
            }
            assertTrue(!state.equals("FAILED") && !state.equals("CANCELED"), "job " + state);
            Thread.sleep(500);
        }
        throw new AssertionError("the bounded job did not finish within five minutes");
    }

    /**
     * What a failed recovery wait needs to be understood: the TaskManagers the JobManager knows (with their slots), the
     * job's status and root exception, and the end of every process's log.
     */
    private static String clusterState(String host, int port, String jobId, Path clusterDir) {
        StringBuilder out = new StringBuilder("\n--- cluster state ---");
        for (String path : List.of("/taskmanagers", "/jobs/" + jobId + "/status")) {
            try {
                String body = rest(host, port, path).toString();
                out.append("\n").append(path).append(": ").append(body, 0, Math.min(body.length(), 3000));
            } catch (Exception e) {
                out.append("\n").append(path).append(": ").append(e);
            }
        }
        try {
            out.append("\n/jobs/").append(jobId).append("/exceptions (each failure, oldest last):");
            for (JsonNode entry : rest(host, port, "/jobs/" + jobId + "/exceptions?maxExceptions=20")
                    .path("exceptionHistory").path("entries")) {
                out.append("\n  ").append(entry.path("timestamp").asText()).append(' ')
                        .append(entry.path("taskName").asText("-")).append(" @ ")
                        .append(entry.path("endpoint").asText(entry.path("location").asText("-")));
                for (String line : entry.path("stacktrace").asText().split("\n")) {
                    if (!line.startsWith("\tat ") && !line.startsWith("\t...")) {
                        out.append("\n    ").append(line);
                    }
                }
            }
        } catch (Exception e) {
            out.append("\nexceptions: ").append(e);
        }
        try (var logs = Files.list(clusterDir.resolve("log"))) {
            for (Path f : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                String errors = errorsWithContext(lines);
                if (!errors.isEmpty()) {
                    out.append("\n--- ").append(f.getFileName()).append(" (its first errors) ---\n").append(errors);
                }
                out.append("\n--- ").append(f.getFileName()).append(" (last 40 lines) ---\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
        } catch (IOException e) {
            out.append("\nlogs: ").append(e);
        }
        // The whole logs outlive the test's temporary directory, for a failure that the excerpts do not explain.
        Path kept = Path.of("target", "cluster-logs", jobId);
        try {
            Files.createDirectories(kept);
            try (var logs = Files.list(clusterDir.resolve("log"))) {
                for (Path f : logs.toList()) {
                    Files.copy(f, kept.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            out.append("\n--- every log: ").append(kept.toAbsolutePath());
        } catch (IOException e) {
            out.append("\nkeeping the logs failed: ").append(e);
        }
        return out.toString();
    }

    /** The first few ERROR (or fatal) lines of a log, each with the lines that follow it (a stack trace's top). */
    private static String errorsWithContext(List<String> lines) {
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < lines.size() && shown < 4; i++) {
            String line = lines.get(i);
            if (line.contains(" ERROR ") || line.toLowerCase(java.util.Locale.ROOT).contains("fatal")) {
                lines.subList(i, Math.min(lines.size(), i + 12)).forEach(l -> out.append(l).append('\n'));
                out.append("...\n");
                shown++;
                i += 11;
            }
        }
        return out.toString();
    }

    private static JsonNode rest(String host, int port, String path) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://" + host + ":" + port + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<Long> rangeTo(long last) {
        List<Long> out = new ArrayList<>();
        for (long i = 1; i <= last; i++) {
            out.add(i);
        }
        return out;
    }

    private static List<Long> committedSteps(Path output) throws IOException {
        List<Long> steps = new ArrayList<>();
        for (JsonNode u : TestCorpus.readJsonLines(output.resolve("policy-updates"))) {
            steps.add(u.get("step").asLong());
        }
        steps.sort(null);
        return steps;
    }

    private static String runningJob(int port) throws Exception {
        return runningJob("localhost", port);
    }

    private static String runningJob(String host, int port) throws Exception {
        for (int i = 0; i < 60; i++) {
            for (JsonNode j : rest(host, port, "/jobs/overview").get("jobs")) {
                if (j.get("state").asText().equals("RUNNING")) {
                    return j.get("jid").asText();
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no running job");
    }
}
