package io.flinksip.job.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged {@code flink-sip.jar} run as its own process, as a user runs it; output goes to a log file. */
public final class FlinkSipProcess {
    private static final Path JAR = Path.of("target", "flink-sip.jar").toAbsolutePath();

    private FlinkSipProcess() {
    }

    public static Process start(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g", "-Dai.djl.offline=true"));
        String djlCache = System.getProperty("DJL_CACHE_DIR");
        if (djlCache != null) {
            command.add("-DDJL_CACHE_DIR=" + djlCache);
        }
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Runs to the end and returns the exit code; the output is in the log. */
    public static int run(Path log, int timeoutSeconds, String... args) throws Exception {
        Process p = start(log, args);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("flink-sip " + String.join(" ", args) + " timed out\n" + Files.readString(log));
        }
        return p.exitValue();
    }
}
