package io.flinksip.schema;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Every named type generated from {@code src/main/avro}, one entry per {@code .avsc} file.
 *
 * <p>The compatibility tests check that this list matches the files in {@code src/main/avro} exactly, so a
 * schema added there without being added here fails the build (and therefore cannot skip the compatibility
 * check or the baseline snapshot).
 */
public final class SchemaCatalog {

  /** Namespace shared by all flink-sip schemas. */
  public static final String NAMESPACE = "io.flinksip.schema";

  private static final List<Schema> ALL =
      List.of(
          CandidateKind.getClassSchema(),
          Objective.getClassSchema(),
          Document.getClassSchema(),
          Sample.getClassSchema(),
          Candidate.getClassSchema(),
          Judgement.getClassSchema(),
          TrainingExample.getClassSchema(),
          PolicyUpdate.getClassSchema(),
          WeightFile.getClassSchema(),
          WeightManifest.getClassSchema(),
          DeadLetter.getClassSchema(),
          CandidateSet.getClassSchema(),
          JudgedSet.getClassSchema());

  private SchemaCatalog() {}

  /** All schemas (records and enums), as compiled into the generated classes. */
  public static List<Schema> all() {
    return ALL;
  }

  /** The schema whose simple name is {@code name} (e.g. {@code "Document"}), if any. */
  public static Optional<Schema> bySimpleName(String name) {
    return ALL.stream().filter(s -> s.getName().equals(name)).findFirst();
  }
}
