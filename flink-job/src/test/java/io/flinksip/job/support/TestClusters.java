package io.flinksip.job.support;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The MiniCluster the job's ITCases share: one TaskManager with two slots, as many as the suite's 2-core CI machine
 * can run without the stages starving each other (the job's default parallelism is 1; two slots let a restarted
 * attempt be scheduled beside a finishing one).
 */
public final class TestClusters {
    private TestClusters() {
    }

    public static MiniClusterExtension oneTaskManager() {
        return oneTaskManager(new Configuration());
    }

    /** The same cluster with {@code configuration} added (metric reporters, say). */
    public static MiniClusterExtension oneTaskManager(Configuration configuration) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2).setConfiguration(configuration).build());
    }
}
