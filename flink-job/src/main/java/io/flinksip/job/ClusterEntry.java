package io.flinksip.job;

import io.flinksip.job.config.ConfigKeys;
import org.apache.flink.configuration.Configuration;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cluster jar's entry point ({@code flink run flink-sip-cluster.jar -Dkey=value ...}, the Kubernetes operator's
 * {@code entryClass}). In application mode Flink runs {@code main} inside the JobManager, so it must return normally or
 * throw, never call {@code System.exit}: that would take the JobManager down with it.
 */
public final class ClusterEntry {
    private ClusterEntry() {
    }

    /**
     * @param args {@code -Dkey=value} settings (a leading {@code submit}, as the command line spells it, is allowed)
     * @throws IllegalArgumentException for an unknown {@code sip.*} key, a value of the wrong type or a missing
     *     setting
     */
    public static void main(String[] args) throws Exception {
        submit(parse(args));
    }

    static Configuration parse(String[] args) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i == 0 && a.equals("submit")) {
                continue;
            }
            int eq = a.indexOf('=');
            if (!a.startsWith("-D") || eq < 3) {
                throw new IllegalArgumentException("expected -Dkey=value, got '" + a + "'");
            }
            settings.put(a.substring(2, eq), a.substring(eq + 1));
        }
        return ConfigKeys.toConfiguration(settings);
    }

    public static void submit(Configuration conf) throws Exception {
        ClusterSubmission.submit(conf);
    }
}
