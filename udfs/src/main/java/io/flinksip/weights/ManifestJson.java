package io.flinksip.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinksip.schema.WeightFile;
import io.flinksip.schema.WeightManifest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A version's {@code manifest.json}: the Avro {@link WeightManifest} record (schemas/WeightManifest.avsc is its one
 * definition) as plain JSON that people and other tools read without Avro's union wrappers. Fields the record gives
 * defaults may be missing, so manifests written before a field was added still read.
 */
final class ManifestJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestJson() {
    }

    static byte[] write(WeightManifest m) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", m.getVersion()).put("step", m.getStep()).put("lineage", m.getLineage().toString());
        if (m.getParentVersion() != null) {
            n.put("parentVersion", m.getParentVersion());
        }
        n.put("createdMillis", m.getCreatedMillis());
        ArrayNode files = n.putArray("files");
        for (WeightFile f : m.getFiles()) {
            ObjectNode file = files.addObject().put("path", f.getPath().toString()).put("sizeBytes", f.getSizeBytes());
            if (f.getCrc32c() != null) {
                file.put("crc32c", f.getCrc32c());
            }
            if (f.getSha256() != null) {
                file.put("sha256", f.getSha256().toString());
            }
        }
        return JSON.writeValueAsBytes(n);
    }

    static WeightManifest read(byte[] json) throws IOException {
        JsonNode n = JSON.readTree(json);
        for (String required : List.of("version", "step", "lineage", "createdMillis")) {
            if (!n.hasNonNull(required)) {
                throw new IOException("manifest has no " + required);
            }
        }
        List<WeightFile> files = new ArrayList<>();
        for (JsonNode f : n.path("files")) {
            if (!f.hasNonNull("path") || !f.hasNonNull("sizeBytes")
                    || !(f.hasNonNull("crc32c") || f.hasNonNull("sha256"))) {
                throw new IOException("manifest lists a file without path, size or checksum (CRC32C or SHA-256): " + f);
            }
            if (f.hasNonNull("crc32c") && !(f.get("crc32c").canConvertToLong()
                    && f.get("crc32c").asLong() >= 0 && f.get("crc32c").asLong() <= 0xFFFFFFFFL)) {
                throw new IOException("manifest lists a CRC32C that is not an unsigned 32-bit value: " + f);
            }
            files.add(WeightFile.newBuilder().setPath(f.get("path").asText()).setSizeBytes(f.get("sizeBytes")
                    .asLong()).setCrc32c(f.hasNonNull("crc32c") ? f.get("crc32c").asLong() : null)
                    .setSha256(f.hasNonNull("sha256") ? f.get("sha256").asText() : null).build());
        }
        return WeightManifest.newBuilder().setVersion(n.get("version").asLong()).setStep(n.get("step").asLong())
                .setLineage(n.get("lineage").asText())
                .setParentVersion(n.hasNonNull("parentVersion") ? n.get("parentVersion").asLong() : null)
                .setCreatedMillis(n.get("createdMillis").asLong()).setFiles(files).build();
    }
}
