package io.flinksip.job.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A KRaft broker as its own process, started, stopped and killed through deploy/kafka.sh exactly as a user would: the
 * drills that need a broker to die (kill -9) or a secured listener cannot use the in-process test kit.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
    private static final Path SCRIPT = Path.of("..", "deploy", "kafka.sh").toAbsolutePath();

    public final Path work;
    public final int port;
    private final Map<String, String> env = new HashMap<>();
    private final Path log;
    private boolean started;

    public KafkaBrokerProcess(Path work, String security, Path log) throws IOException {
        this.work = work;
        this.port = freePort();
        this.log = log;
        env.put("FLINK_SIP_KAFKA_DIR", work.toString());
        env.put("FLINK_SIP_KAFKA_PORT", String.valueOf(port));
        env.put("FLINK_SIP_KAFKA_CONTROLLER_PORT", String.valueOf(freePort()));
        env.put("FLINK_SIP_KAFKA_SECURITY", security);
    }

    public String bootstrap() {
        return "localhost:" + port;
    }

    /** The client settings file the script writes in sasl-ssl mode. */
    public Path clientConfig() {
        return work.resolve("client.properties");
    }

    public String start() throws Exception {
        started = true;
        return script(180, "start");
    }

    public void createTopic(String name, int partitions) throws Exception {
        script(60, "create-topic", name, String.valueOf(partitions));
    }

    /** SIGKILL: no shutdown hook, no clean log close; what a crashed host does to the broker. */
    public void killHard() throws IOException {
        long pid = Long.parseLong(Files.readString(work.resolve("broker.pid")).trim());
        ProcessHandle broker = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("broker not running"));
        broker.destroyForcibly();
        broker.onExit().join();
    }

    @Override
    public void close() throws Exception {
        if (started) {
            script(60, "stop");
        }
    }

    private String script(int timeoutSeconds, String... args) throws Exception {
        return DeployScript.run(SCRIPT, env, log, timeoutSeconds, args);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
