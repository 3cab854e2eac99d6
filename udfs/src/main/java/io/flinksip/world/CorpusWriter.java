package io.flinksip.world;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a reference world to a directory, as the embedded default's file source and the evaluation tools read it:
 *
 * <ul>
 *   <li>{@code documents-train.jsonl.gz}, {@code documents-heldout.jsonl.gz}: one JSON object a line,
 *       {@code {"id": …, "text": …, "timestamp": <epoch millis, increasing>, "attributes": {"split": "train"}}};
 *   <li>{@code labels-train.jsonl.gz}, {@code labels-heldout.jsonl.gz}: one JSON object a line, in the same order,
 *       {@code {"id": …, "claims": [{"start", "end", "valueStart", "valueEnd", "entity", "relation", "stated",
 *       "actual", "false"}], "unsafeSpans": [{"start", "end", "phrase", "category"}]}};
 *   <li>{@value FactTableFile#NAME}: the fact table; {@value ReferenceWorld#CONFIG_FILE}: the config (with
 *       {@code \n} line ends on every platform).
 * </ul>
 *
 * The same config always gives byte-identical files: documents are a function of (seed, split, index), JSON is
 * written field by field in a fixed order, and {@link GZIPOutputStream} writes a zero modification time. (The
 * compressed bytes also depend on the zlib the JVM uses; the uncompressed content never does.)
 */
public final class CorpusWriter {
    private static final int BUFFER_BYTES = 1 << 16;
    private static final JsonFactory JSON = new JsonFactory();

    private CorpusWriter() {
    }

    /**
     * What was written.
     *
     * @param directory where
     * @param trainDocuments documents in the train split
     * @param heldOutDocuments documents in the held-out split
     * @param facts rows of the fact table
     */
    public record WrittenCorpus(Path directory, int trainDocuments, int heldOutDocuments, int facts) {
    }

    /** Writes {@code world}'s splits, labels, fact table and config into {@code directory} (created if missing). */
    public static WrittenCorpus write(ReferenceWorld world, Path directory) throws IOException {
        Files.createDirectories(directory);
        WorldConfig config = world.config();
        writeSplit(world.documents(), Split.TRAIN, config.trainDocuments(), directory);
        writeSplit(world.documents(), Split.HELD_OUT, config.heldOutDocuments(), directory);
        FactTableFile.write(world.facts(), directory.resolve(FactTableFile.NAME));
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        new ObjectMapper().writer(printer).writeValue(directory.resolve(ReferenceWorld.CONFIG_FILE).toFile(), config);
        return new WrittenCorpus(directory, config.trainDocuments(), config.heldOutDocuments(),
                world.facts().facts().size());
    }

    /** The documents file of a split, e.g. {@code documents-train.jsonl.gz}. */
    public static String documentsFile(Split split) {
        return "documents-" + split.id() + ".jsonl.gz";
    }

    /** The labels file of a split, e.g. {@code labels-train.jsonl.gz}. */
    public static String labelsFile(Split split) {
        return "labels-" + split.id() + ".jsonl.gz";
    }

    private static void writeSplit(DocumentGenerator generator, Split split, int count, Path directory)
            throws IOException {
        try (JsonGenerator documents = jsonLines(directory.resolve(documentsFile(split)));
                JsonGenerator labels = jsonLines(directory.resolve(labelsFile(split)))) {
            for (int i = 0; i < count; i++) {
                GeneratedDocument document = generator.generate(split, i);
                writeDocument(documents, document);
                writeLabels(labels, document);
            }
        }
    }

    private static JsonGenerator jsonLines(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(
                new GZIPOutputStream(Files.newOutputStream(file), BUFFER_BYTES), BUFFER_BYTES);
        JsonGenerator generator = JSON.createGenerator(out, JsonEncoding.UTF8);
        generator.setRootValueSeparator(null);
        return generator;
    }

    private static void writeDocument(JsonGenerator out, GeneratedDocument document) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", document.id());
        out.writeStringField("text", document.text());
        out.writeNumberField("timestamp", document.timestampMillis());
        out.writeObjectFieldStart("attributes");
        out.writeStringField("split", document.split().id());
        out.writeEndObject();
        out.writeEndObject();
        out.writeRaw('\n');
    }

    private static void writeLabels(JsonGenerator out, GeneratedDocument document) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", document.id());
        out.writeArrayFieldStart("claims");
        for (ClaimLabel claim : document.labels().claims()) {
            out.writeStartObject();
            out.writeNumberField("start", claim.start());
            out.writeNumberField("end", claim.end());
            out.writeNumberField("valueStart", claim.valueStart());
            out.writeNumberField("valueEnd", claim.valueEnd());
            out.writeStringField("entity", claim.entity());
            out.writeStringField("relation", claim.relation().id());
            out.writeStringField("stated", claim.stated());
            out.writeStringField("actual", claim.actual());
            out.writeBooleanField("false", claim.isFalse());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeArrayFieldStart("unsafeSpans");
        for (UnsafeSpanLabel span : document.labels().unsafeSpans()) {
            out.writeStartObject();
            out.writeNumberField("start", span.start());
            out.writeNumberField("end", span.end());
            out.writeStringField("phrase", span.phrase());
            out.writeStringField("category", span.category());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
        out.writeRaw('\n');
    }
}
