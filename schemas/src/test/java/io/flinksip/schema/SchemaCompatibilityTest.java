package io.flinksip.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.flinksip.schema.tools.SnapshotSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * State and topics must survive upgrades: every current schema must be able to read data written with every
 * released version of it (baselines under {@code compat/<Name>/v<N>.avsc}) and with the version committed in
 * git {@code HEAD}. Rule: {@code checkReaderWriterCompatibility(reader = current, writer = old)}.
 */
class SchemaCompatibilityTest {

  private static Set<String> catalogNames() {
    return SchemaCatalog.all().stream().map(Schema::getName).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Asserts that {@code current} can read data written with {@code old}, listing Avro's reasons if not. */
  static void assertCanRead(Schema current, Schema old, String what) {
    List<String> problems = SnapshotSchemas.incompatibilities(current, old);
    if (!problems.isEmpty()) {
      fail(
          "Current schema " + current.getFullName() + " cannot read data written with " + what
              + " (backward-incompatible change; add defaults/aliases instead):\n  "
              + String.join("\n  ", problems));
    }
  }

  @Test
  void catalogListsExactlyTheAvscFiles() throws IOException {
    Map<String, String> sources = SchemaFiles.readAvroSources();
    Set<String> fileNames = new TreeSet<>();
    for (String file : sources.keySet()) {
      fileNames.add(file.substring(0, file.length() - ".avsc".length()));
    }
    assertEquals(
        fileNames, catalogNames(),
        "SchemaCatalog must list one generated class per file in src/main/avro (and nothing else)");

    SchemaFiles.Parsed parsed = SchemaFiles.parseAll(sources);
    assertTrue(parsed.failures().isEmpty(), () -> "unparseable .avsc files: " + parsed.failures());
    for (Map.Entry<String, Schema> e : parsed.schemas().entrySet()) {
      String expected = SchemaCatalog.NAMESPACE + "." + e.getKey().replace(".avsc", "");
      assertEquals(expected, e.getValue().getFullName(), "file " + e.getKey() + " must define type " + expected);
    }
  }

  @Test
  void everySchemaHasABaselineAndEveryBaselineASchema() throws IOException {
    Set<String> names = catalogNames();
    List<String> problems = new ArrayList<>();
    for (String name : names) {
      if (SnapshotSchemas.baselines(SchemaFiles.compatDir().resolve(name)).isEmpty()) {
        problems.add(name + ": no baseline compat/" + name + "/v1.avsc (run SnapshotSchemas, see README.md)");
      }
    }
    try (Stream<Path> dirs = Files.list(SchemaFiles.compatDir())) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        String name = dir.getFileName().toString();
        if (!Files.isDirectory(dir) || !names.contains(name)) {
          problems.add(
              "compat/" + name + ": no current schema of that name (renamed or removed a released schema?)");
          continue;
        }
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            if (!SnapshotSchemas.BASELINE_FILE.matcher(f.getFileName().toString()).matches()) {
              problems.add("compat/" + name + "/" + f.getFileName() + ": not named v<N>.avsc, would be ignored");
            }
          }
        }
      }
    }
    assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
  }

  @TestFactory
  Stream<DynamicTest> currentSchemaReadsEveryBaseline() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Schema current : SchemaCatalog.all()) {
      for (Map.Entry<Integer, Path> baseline :
          SnapshotSchemas.baselines(SchemaFiles.compatDir().resolve(current.getName())).entrySet()) {
        String what = "compat/" + current.getName() + "/v" + baseline.getKey() + ".avsc";
        tests.add(
            dynamicTest(
                current.getName() + " reads v" + baseline.getKey(),
                () -> assertCanRead(current, SnapshotSchemas.parseBaseline(baseline.getValue()), what)));
      }
    }
    return tests.stream();
  }

  /**
   * Also compares with the schemas committed in git {@code HEAD}, which catches an incompatible edit before a
   * baseline exists for it. Produces no tests outside a git checkout, without git, or when HEAD has no schemas.
   */
  @TestFactory
  Stream<DynamicTest> currentSchemaReadsSchemaAtGitHead() {
    Map<String, String> headFiles = SchemaFiles.readAvroSourcesAtHead();
    if (headFiles.isEmpty()) {
      return Stream.empty();
    }
    SchemaFiles.Parsed head = SchemaFiles.parseAll(headFiles);
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : headFiles.keySet()) {
      Schema old = head.schemas().get(file);
      tests.add(
          dynamicTest(
              "HEAD:" + file,
              () -> {
                assumeTrue(old != null, () -> "cannot resolve HEAD " + file + ": " + head.failures().get(file));
                Schema current =
                    SchemaCatalog.all().stream()
                        .filter(s -> s.getFullName().equals(old.getFullName()))
                        .findFirst()
                        .orElse(null);
                // A removed or renamed type shows up as a stale compat/ directory once it was released.
                assumeTrue(current != null, () -> old.getFullName() + " no longer exists");
                assertCanRead(current, old, "git HEAD:" + file);
              }));
    }
    return tests.stream();
  }

  // ---------------------------------------------------------------------------------------------------------
  // The checker itself must be able to say no.

  /** A copy of record {@code base} with its field list transformed. */
  private static Schema withFields(Schema base, UnaryOperator<List<Field>> change) {
    List<Field> fields = new ArrayList<>();
    for (Field f : base.getFields()) {
      fields.add(new Field(f, f.schema()));
    }
    return Schema.createRecord(
        base.getName(), base.getDoc(), base.getNamespace(), base.isError(), change.apply(fields));
  }

  private static List<Field> replace(List<Field> fields, String name, Field replacement) {
    List<Field> out = new ArrayList<>();
    for (Field f : fields) {
      out.add(f.name().equals(name) ? replacement : f);
    }
    return out;
  }

  @Test
  void checkerRejectsIncompatibleChanges() {
    Schema old = Document.getClassSchema();

    Schema addedWithoutDefault =
        withFields(old, fs -> {
          fs.add(new Field("language", Schema.create(Schema.Type.STRING), "doc", (Object) null));
          return fs;
        });
    Schema changedType =
        withFields(old, fs -> replace(fs, "eventTimeMillis",
            new Field("eventTimeMillis", Schema.create(Schema.Type.STRING), "doc", (Object) null)));
    Schema narrowedType =
        withFields(old, fs -> replace(fs, "eventTimeMillis",
            new Field("eventTimeMillis", Schema.create(Schema.Type.INT), "doc", (Object) null)));
    Schema optionalMadeRequired =
        withFields(old, fs -> replace(fs, "source",
            new Field("source", Schema.create(Schema.Type.STRING), "doc", (Object) null)));
    Schema droppedEnumSymbol =
        Schema.createEnum(
            "CandidateKind", "doc", SchemaCatalog.NAMESPACE, List.of("SUFFIX", "REWRITE"));

    Map<String, List<String>> cases = new TreeMap<>();
    cases.put("added field without default", SnapshotSchemas.incompatibilities(addedWithoutDefault, old));
    cases.put("string instead of long", SnapshotSchemas.incompatibilities(changedType, old));
    cases.put("int instead of long", SnapshotSchemas.incompatibilities(narrowedType, old));
    cases.put("optional made required", SnapshotSchemas.incompatibilities(optionalMadeRequired, old));
    cases.put(
        "dropped enum symbol",
        SnapshotSchemas.incompatibilities(droppedEnumSymbol, CandidateKind.getClassSchema()));
    cases.forEach((what, problems) -> assertFalse(problems.isEmpty(), what + " must be reported incompatible"));

    assertTrue(
        cases.get("added field without default").stream().anyMatch(p -> p.contains("language")),
        () -> "message should name the field: " + cases.get("added field without default"));

    // And the assertion used by the baseline tests fails with Avro's reasons in the message.
    AssertionError error =
        org.junit.jupiter.api.Assertions.assertThrows(
            AssertionError.class, () -> assertCanRead(addedWithoutDefault, old, "an old writer"));
    assertTrue(error.getMessage().contains("READER_FIELD_MISSING_DEFAULT_VALUE"), error::getMessage);
  }

  @Test
  void checkerAcceptsCompatibleChanges() {
    Schema old = Document.getClassSchema();
    Schema addedWithDefault =
        withFields(old, fs -> {
          fs.add(new Field("language", Schema.createUnion(Schema.create(Schema.Type.NULL),
              Schema.create(Schema.Type.STRING)), "doc", JsonProperties.NULL_VALUE));
          return fs;
        });
    Schema removedField = withFields(old, fs -> {
      fs.removeIf(f -> f.name().equals("source"));
      return fs;
    });
    Schema addedEnumSymbol =
        Schema.createEnum(
            "CandidateKind", "doc", SchemaCatalog.NAMESPACE, List.of("SUFFIX", "REWRITE", "ROLLOUT", "OTHER"));

    assertEquals(List.of(), SnapshotSchemas.incompatibilities(addedWithDefault, old));
    assertEquals(List.of(), SnapshotSchemas.incompatibilities(removedField, old));
    assertEquals(List.of(), SnapshotSchemas.incompatibilities(addedEnumSymbol, CandidateKind.getClassSchema()));
  }
}
