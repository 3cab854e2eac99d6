package io.flinksip.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalClusterConfigurationTest {
    @Test
    void aWorkDirectoryWithASpaceIsTheSameDirectoryToFlink(@TempDir Path dir) throws Exception {
        Path work = Files.createDirectories(dir.resolve("my work").resolve("savepoints"));
        String spelled = EmbeddedRun.flinkPath(work);
        assertEquals("file:" + work, spelled, "no URI encoding: Flink would take %20 literally");
        org.apache.flink.core.fs.Path flink = new org.apache.flink.core.fs.Path(spelled);
        assertTrue(flink.getFileSystem().exists(flink), "Flink finds the directory the run created");
        assertEquals(work.toString(), flink.toUri().getPath());
    }

    @Test
    void theLocalClusterListensOnLoopbackUnlessTheRunSaysOtherwise(@TempDir Path dir) {
        org.apache.flink.configuration.Configuration defaults = EmbeddedRun.localClusterConfiguration(
                new org.apache.flink.configuration.Configuration(), dir);
        assertEquals("localhost", defaults.get(org.apache.flink.configuration.RestOptions.BIND_ADDRESS));
        assertEquals("localhost", defaults.get(org.apache.flink.configuration.JobManagerOptions.BIND_HOST),
                "the blob server binds where the JobManager does");
        org.apache.flink.configuration.Configuration open = new org.apache.flink.configuration.Configuration();
        open.set(org.apache.flink.configuration.RestOptions.BIND_ADDRESS, "0.0.0.0");
        assertEquals("0.0.0.0", EmbeddedRun.localClusterConfiguration(open, dir)
                .get(org.apache.flink.configuration.RestOptions.BIND_ADDRESS), "-D overrides the default");
        assertEquals(EmbeddedRun.flinkPath(dir.resolve("checkpoints")), defaults.get(
                org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY));
    }
}
