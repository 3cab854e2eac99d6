package io.flinksip.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlinkPathTest {
    @Test
    void aWorkDirectoryWithASpaceIsTheSameDirectoryToFlink(@TempDir Path dir) throws Exception {
        Path work = Files.createDirectories(dir.resolve("my work").resolve("savepoints"));
        String spelled = EmbeddedRun.flinkPath(work);
        assertEquals("file:" + work, spelled, "no URI encoding: Flink would take %20 literally");
        org.apache.flink.core.fs.Path flink = new org.apache.flink.core.fs.Path(spelled);
        assertTrue(flink.getFileSystem().exists(flink), "Flink finds the directory the run created");
        assertEquals(work.toString(), flink.toUri().getPath());
    }
}
