package io.flinksip.weights;

import io.flinksip.schema.WeightFile;
import io.flinksip.schema.WeightManifest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestJsonTest {
    @Test
    void theAvroManifestRoundTripsAsPlainJson() throws Exception {
        WeightManifest m = WeightManifest.newBuilder().setVersion(7).setStep(7).setLineage("job-1").setParentVersion(6L)
                .setCreatedMillis(123).setFiles(List.of(WeightFile.newBuilder().setPath("weights.bin")
                        .setSizeBytes(42).setCrc32c(0xFFFFFFFFL).build())).build();
        String json = new String(ManifestJson.write(m), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"parentVersion\":6") && !json.contains("{\"long\""),
                "plain JSON, no Avro union wrappers: " + json);
        assertEquals(m, ManifestJson.read(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aManifestOfTheEarlierFormatStillReadsAndAnIncompleteOneIsRefused() throws Exception {
        String earlier = "{\"version\":3,\"step\":3,\"lineage\":\"j-0\",\"createdMillis\":1,\"files\":[{\"path\":"
                + "\"weights.bin\",\"sizeBytes\":10,\"sha256\":\"00\"}]}";
        WeightManifest m = ManifestJson.read(earlier.getBytes(StandardCharsets.UTF_8));
        assertNull(m.getParentVersion());
        assertEquals(10, m.getFiles().get(0).getSizeBytes());
        assertEquals("00", m.getFiles().get(0).getSha256().toString(), "the SHA-256 of a version written before 0.2");
        assertNull(m.getFiles().get(0).getCrc32c());
        assertThrows(IOException.class, () -> ManifestJson.read(
                "{\"version\":3,\"step\":3,\"lineage\":\"j\",\"createdMillis\":1,\"files\":[{\"path\":\"w\"}]}"
                        .getBytes(StandardCharsets.UTF_8)), "a file without size and checksum");
        assertThrows(IOException.class, () -> ManifestJson.read("{\"step\":3}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> ManifestJson.read(("{\"version\":3,\"step\":3,\"lineage\":\"j\","
                + "\"createdMillis\":1,\"files\":[{\"path\":\"w\",\"sizeBytes\":1,\"crc32c\":-1}]}")
                .getBytes(StandardCharsets.UTF_8)), "a CRC32C outside the unsigned 32-bit range");
    }
}
