package io.flinksip.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinksip.schema.tools.SnapshotSchemas;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release tool that writes baselines (run against a temporary directory, never {@code compat/}). */
class SnapshotSchemasTest {

  @Test
  void writesV1ForEverySchemaThenIsUpToDate(@TempDir Path dir) throws IOException {
    assertEquals(3, run(dir, true), "--check reports pending baselines");
    assertEquals(0, run(dir, false));
    for (Schema s : SchemaCatalog.all()) {
      Path v1 = dir.resolve(s.getName()).resolve("v1.avsc");
      assertTrue(Files.isRegularFile(v1), v1::toString);
      assertEquals(s, SnapshotSchemas.parseBaseline(v1), "baseline must be self-contained and equal");
      Path latest = latestBaseline(SchemaFiles.compatDir().resolve(s.getName()));
      assertEquals(
          Files.readString(latest),
          Files.readString(v1),
          "the newest committed baseline " + latest + " should be exactly what the tool writes for the current schema");
    }
    assertEquals(0, run(dir, true), "nothing pending after snapshot");
  }

  private static Path latestBaseline(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc"))
          .max(java.util.Comparator.comparingInt(
              p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""))))
          .orElseThrow();
    }
  }

  @Test
  void writesNextVersionWhenSchemaChangedCompatibly(@TempDir Path dir) throws IOException {
    run(dir, false);
    // Pretend the released v1 of Document lacked the optional "source" field: current adds it with a default.
    Path v1 = dir.resolve("Document/v1.avsc");
    Files.writeString(v1, dropField(Document.getClassSchema(), "source"), StandardCharsets.UTF_8);
    assertEquals(0, run(dir, false));
    assertEquals(Document.getClassSchema(), SnapshotSchemas.parseBaseline(dir.resolve("Document/v2.avsc")));
  }

  @Test
  void refusesToSnapshotAnIncompatibleSchema(@TempDir Path dir) throws IOException {
    // A released v1 in which eventTimeMillis was a string: the current long field cannot read it.
    Path v1 = dir.resolve("Document/v1.avsc");
    Files.createDirectories(v1.getParent());
    String old = Document.getClassSchema().toString().replace(
        "\"name\":\"eventTimeMillis\",\"type\":\"long\"", "\"name\":\"eventTimeMillis\",\"type\":\"string\"");
    Files.writeString(v1, old, StandardCharsets.UTF_8);
    assertEquals(1, run(dir, false));
    assertTrue(Files.notExists(dir.resolve("Document/v2.avsc")));
  }

  private static int run(Path dir, boolean checkOnly) throws IOException {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    return SnapshotSchemas.run(dir, checkOnly, quiet, quiet);
  }

  private static String dropField(Schema schema, String name) {
    var fields = new java.util.ArrayList<Schema.Field>();
    for (Schema.Field f : schema.getFields()) {
      if (!f.name().equals(name)) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields).toString();
  }
}
