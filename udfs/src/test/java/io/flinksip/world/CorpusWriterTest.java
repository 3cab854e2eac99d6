package io.flinksip.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WorldConfig SMALL = WorldConfig.defaults().withDocuments(300, 40);

    @Test
    void sameConfigWritesByteIdenticalFiles(@TempDir Path dir) throws IOException {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        Path otherSeed = dir.resolve("other");
        CorpusWriter.write(ReferenceWorld.generate(SMALL), first);
        CorpusWriter.write(ReferenceWorld.generate(SMALL), second);
        CorpusWriter.write(ReferenceWorld.generate(SMALL.withSeed(5)), otherSeed);
        List<String> files = List.of(CorpusWriter.documentsFile(Split.TRAIN), CorpusWriter.documentsFile(Split.HELD_OUT),
                CorpusWriter.labelsFile(Split.TRAIN), CorpusWriter.labelsFile(Split.HELD_OUT), FactTableFile.NAME,
                ReferenceWorld.CONFIG_FILE);
        for (String file : files) {
            byte[] bytes = Files.readAllBytes(first.resolve(file));
            assertArrayEquals(bytes, Files.readAllBytes(second.resolve(file)), file);
            assertFalse(Arrays.equals(bytes, Files.readAllBytes(otherSeed.resolve(file))), file);
        }
        byte[] gzip = Files.readAllBytes(first.resolve(CorpusWriter.documentsFile(Split.TRAIN)));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, Arrays.copyOfRange(gzip, 4, 8), "gzip modification time is 0");
    }

    @Test
    void documentsAndLabelsAreJsonLinesInGeneratorOrder(@TempDir Path dir) throws IOException {
        ReferenceWorld world = ReferenceWorld.generate(SMALL);
        CorpusWriter.WrittenCorpus written = CorpusWriter.write(world, dir);
        assertEquals(new CorpusWriter.WrittenCorpus(dir, 300, 40, world.facts().facts().size()), written);
        for (Split split : Split.values()) {
            List<JsonNode> documents = readJsonLines(dir.resolve(CorpusWriter.documentsFile(split)));
            List<JsonNode> labels = readJsonLines(dir.resolve(CorpusWriter.labelsFile(split)));
            assertEquals(split == Split.TRAIN ? 300 : 40, documents.size());
            assertEquals(documents.size(), labels.size());
            long previousTimestamp = Long.MIN_VALUE;
            for (int i = 0; i < documents.size(); i++) {
                GeneratedDocument expected = world.documents().generate(split, i);
                JsonNode document = documents.get(i);
                assertEquals(List.of("id", "text", "timestamp", "attributes"), fieldNames(document));
                assertEquals(expected.id(), document.get("id").asText());
                assertEquals(expected.text(), document.get("text").asText());
                assertEquals(split.id(), document.get("attributes").get("split").asText());
                long timestamp = document.get("timestamp").asLong();
                assertTrue(timestamp > previousTimestamp, "timestamps increase");
                previousTimestamp = timestamp;
                assertLabels(expected, labels.get(i));
            }
        }
    }

    @Test
    void aWrittenWorldLoadsBackWithTheSameFactsAndDocuments(@TempDir Path dir) throws IOException {
        ReferenceWorld world = ReferenceWorld.generate(SMALL);
        CorpusWriter.write(world, dir);
        ReferenceWorld loaded = ReferenceWorld.load(dir);
        assertEquals(world.config(), loaded.config());
        assertEquals(world.facts(), loaded.facts());
        assertEquals(world.documents().generate(Split.TRAIN, 11), loaded.documents().generate(Split.TRAIN, 11));
    }

    /** Prints the generation speed of the default 20,000-document train split plus its held-out split. */
    @Test
    void writesTheDefaultCorpusInSeconds(@TempDir Path dir) throws IOException {
        WorldConfig config = WorldConfig.defaults();
        long start = System.nanoTime();
        CorpusWriter.WrittenCorpus written = CorpusWriter.write(ReferenceWorld.generate(config), dir);
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes = 0;
        for (Split split : Split.values()) {
            bytes += Files.size(dir.resolve(CorpusWriter.documentsFile(split)));
        }
        int documents = written.trainDocuments() + written.heldOutDocuments();
        System.out.printf(Locale.ROOT, "corpus: %d documents (+labels, facts) written in %.2f s = %.0f documents/s, "
                + "%.1f MB of gzipped documents%n", documents, seconds, documents / seconds, bytes / 1e6);
        assertEquals(22_000, documents);
        assertTrue(seconds < 60, "writing took " + seconds + " s");
    }

    private static void assertLabels(GeneratedDocument expected, JsonNode labels) {
        assertEquals(expected.id(), labels.get("id").asText());
        List<ClaimLabel> claims = expected.labels().claims();
        assertEquals(claims.size(), labels.get("claims").size());
        for (int c = 0; c < claims.size(); c++) {
            ClaimLabel claim = claims.get(c);
            JsonNode node = labels.get("claims").get(c);
            assertEquals(claim.start(), node.get("start").asInt());
            assertEquals(claim.end(), node.get("end").asInt());
            assertEquals(claim.valueStart(), node.get("valueStart").asInt());
            assertEquals(claim.valueEnd(), node.get("valueEnd").asInt());
            assertEquals(claim.entity(), node.get("entity").asText());
            assertEquals(claim.relation().id(), node.get("relation").asText());
            assertEquals(claim.stated(), node.get("stated").asText());
            assertEquals(claim.actual(), node.get("actual").asText());
            assertEquals(claim.isFalse(), node.get("false").asBoolean());
        }
        List<UnsafeSpanLabel> spans = expected.labels().unsafeSpans();
        assertEquals(spans.size(), labels.get("unsafeSpans").size());
        for (int s = 0; s < spans.size(); s++) {
            JsonNode node = labels.get("unsafeSpans").get(s);
            assertEquals(spans.get(s), new UnsafeSpanLabel(node.get("start").asInt(), node.get("end").asInt(),
                    node.get("phrase").asText(), node.get("category").asText()));
        }
    }

    private static List<JsonNode> readJsonLines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
