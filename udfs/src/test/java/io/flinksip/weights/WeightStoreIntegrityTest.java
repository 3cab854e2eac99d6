package io.flinksip.weights;

import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.TestModels;
import io.flinksip.model.WeightPrecision;
import io.flinksip.schema.WeightManifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A damaged version fails loudly, naming the file; it never loads as other weights. */
class WeightStoreIntegrityTest {
    private static final String NS = "lineage-0";

    @TempDir
    Path dir;
    private WeightStore store;
    private LinkedHashMap<String, float[]> weights;
    private Path file;

    @BeforeEach
    void publish() {
        LlamaConfig config = TestModels.small();
        weights = LlamaModel.initialWeights(config, 7);
        store = new WeightStore(dir.toString());
        List<String> names = List.copyOf(weights.keySet());
        store.publish(NS, 3, 3, config, names, weights.values().toArray(new float[0][]), null);
        file = Path.of(store.versionPath(NS, 3), "weights.bin");
    }

    @Test
    void anIntactVersionLoadsBitExact() throws IOException {
        PolicyWeights loaded = store.load(NS, 3);
        for (String name : weights.keySet()) {
            assertArrayEquals(weights.get(name), loaded.weights().get(name), name);
        }
        WeightManifest manifest = ManifestJson.read(Files.readAllBytes(Path.of(store.versionPath(NS, 3),
                "manifest.json")));
        assertEquals(2L, manifest.getParentVersion(), "version 3 was trained from version 2");
        assertEquals(NS, manifest.getLineage().toString());
    }

    @Test
    void aFlippedBitInTheWeightsIsACorruptionNamingTheFile() throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = raf.length() - 17; // inside the last tensor's floats: the header still parses
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x10);
        }
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> store.load(NS, 3));
        String message = e.getMessage() + " " + e.getCause().getMessage();
        assertTrue(message.contains("weights.bin") && message.contains("does not match its manifest"), message);
    }

    @Test
    void aTruncatedOrExtendedFileFailsNamingTheFile() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        UncheckedIOException truncated = assertThrows(UncheckedIOException.class, () -> store.load(NS, 3));
        assertTrue(truncated.getMessage().contains(file.getFileName().toString()), truncated.getMessage());
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length + 4));
        UncheckedIOException extended = assertThrows(UncheckedIOException.class, () -> store.load(NS, 3));
        assertTrue((extended.getMessage() + extended.getCause().getMessage()).contains("longer than its contents"),
                extended.getMessage());
    }

    @Test
    void aVersionWithoutItsManifestIsIncomplete() throws IOException {
        Files.delete(file.resolveSibling("manifest.json"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> store.load(NS, 3));
        assertTrue(e.getMessage().contains("no readable manifest"), e.getMessage());
    }

    @Test
    void aReplicaLoadsAVersionStraightIntoItsTensorsBitExact() {
        LlamaConfig config = TestModels.small();
        try (LlamaModel replica = LlamaModel.create(config, LlamaModel.initialWeights(config, 99), false)) {
            assertTrue(store.loadInto(NS, 3, replica), "a local store and a CPU model: the mapped path applies");
            Map<String, float[]> loaded = replica.weights();
            for (String name : weights.keySet()) {
                assertArrayEquals(weights.get(name), loaded.get(name), name);
            }
        }
        LlamaConfig other = config.withShape(32, 64, 1, 2, 2, true);
        try (LlamaModel differentShape = LlamaModel.create(other, LlamaModel.initialWeights(other, 1), false)) {
            assertFalse(store.loadInto(NS, 3, differentShape), "another shape: the caller builds a new model");
        }
    }

    @Test
    void aFloat16ReplicaLoadsAVersionConvertedOnTheWayAsIfBuiltFromItsWeights() {
        LlamaConfig config = TestModels.small();
        try (LlamaModel built = LlamaModel.createReplica(config, weights, WeightPrecision.FLOAT16);
             LlamaModel loaded = LlamaModel.createReplica(config, LlamaModel.initialWeights(config, 99),
                     WeightPrecision.FLOAT16)) {
            assertTrue(store.loadInto(NS, 3, loaded), "the mapped path applies to a float16 replica");
            Map<String, float[]> expected = built.weights();
            Map<String, float[]> actual = loaded.weights();
            for (String name : weights.keySet()) {
                assertArrayEquals(expected.get(name), actual.get(name), name);
            }
            float[] q = weights.get("model.layers.0.self_attn.q_proj.weight");
            assertEquals(io.flinksip.model.Float16.toFloat(io.flinksip.model.Float16.fromFloat(q[5])),
                    actual.get("model.layers.0.self_attn.q_proj.weight")[5], "rounded to float16");
        }
    }

    @Test
    void aDamagedFileNeverReachesTheReplica() throws IOException {
        LlamaConfig config = TestModels.small();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() - 33);
            int b = raf.read();
            raf.seek(raf.length() - 33);
            raf.write(b ^ 0x01);
        }
        LinkedHashMap<String, float[]> before = LlamaModel.initialWeights(config, 99);
        try (LlamaModel replica = LlamaModel.create(config, before, false)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> store.loadInto(NS, 3, replica));
            String message = e.getMessage() + " " + e.getCause().getMessage();
            assertTrue(message.contains(file.toString()) && message.contains("corrupted"), message);
            Map<String, float[]> after = replica.weights();
            for (String name : before.keySet()) {
                assertArrayEquals(before.get(name), after.get(name), "checked before copying: " + name);
            }
        }
    }

    @Test
    void theManifestHoldsTheFilesCrc32cAsAnyToolComputesIt() throws IOException {
        WeightManifest manifest = ManifestJson.read(Files.readAllBytes(file.resolveSibling("manifest.json")));
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(Files.readAllBytes(file));
        assertEquals(crc.getValue(), manifest.getFiles().get(0).getCrc32c(), "CRC32C of weights.bin");
        assertEquals(Files.size(file), manifest.getFiles().get(0).getSizeBytes());
    }

    @Test
    void aVersionWrittenBefore02WithSha256StillVerifiesInBothLoadPaths() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(bytes));
        Path manifest = file.resolveSibling("manifest.json");
        Files.writeString(manifest, "{\"version\":3,\"step\":3,\"lineage\":\"" + NS + "\",\"createdMillis\":1,"
                + "\"files\":[{\"path\":\"weights.bin\",\"sizeBytes\":" + bytes.length + ",\"sha256\":\"" + sha
                + "\"}]}");
        PolicyWeights loaded = store.load(NS, 3);
        LlamaConfig config = TestModels.small();
        try (LlamaModel replica = LlamaModel.create(config, LlamaModel.initialWeights(config, 99), false)) {
            assertTrue(store.loadInto(NS, 3, replica));
            for (String name : weights.keySet()) {
                assertArrayEquals(weights.get(name), loaded.weights().get(name), "streamed: " + name);
                assertArrayEquals(weights.get(name), replica.weights().get(name), "mapped: " + name);
            }
            bytes[bytes.length - 5] ^= 0x04;
            Files.write(file, bytes);
            UncheckedIOException streamed = assertThrows(UncheckedIOException.class, () -> store.load(NS, 3));
            UncheckedIOException mapped = assertThrows(UncheckedIOException.class,
                    () -> store.loadInto(NS, 3, replica));
            for (UncheckedIOException e : List.of(streamed, mapped)) {
                String message = e.getMessage() + " " + e.getCause().getMessage();
                assertTrue(message.contains("SHA-256") && message.contains("corrupted"),
                        "a damaged pre-0.2 version is caught by its SHA-256: " + message);
            }
        }
    }
}
