package io.flinksip.job.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of the deploy/ scripts as a user does, output appended to a log; fails the test when it fails. */
public final class DeployScript {
    private DeployScript() {
    }

    /** The script's output of this call. */
    public static String run(Path script, Map<String, String> env, Path log, int timeoutSeconds, String... args)
            throws Exception {
        return run(List.of(), script, env, log, timeoutSeconds, args);
    }

    /** The same, run through {@code prefix} (on another host: {@code ip netns exec NAME}, say). */
    public static String run(List<String> prefix, Path script, Map<String, String> env, Path log, int timeoutSeconds,
                             String... args) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        long before = Files.exists(log) ? Files.size(log) : 0;
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        String out = new String(Files.readAllBytes(log)).substring((int) before);
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " exited " + p.exitValue() + "\n" + out);
        }
        return out;
    }
}
