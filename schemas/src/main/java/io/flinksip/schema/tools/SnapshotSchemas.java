package io.flinksip.schema.tools;

import io.flinksip.schema.SchemaCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Release step: writes a new compatibility baseline {@code compat/<Name>/v<N+1>.avsc} for every schema whose
 * current (compiled) form differs from its latest baseline, and {@code v1.avsc} for schemas without one.
 *
 * <p>A baseline is the fully resolved schema ({@code getClassSchema().toString(true)}, see {@link #format}),
 * so it is self-contained even when the schema references other named types. A schema that cannot read one of
 * its existing baselines is refused: fix the schema first (add defaults, aliases, ...), never the baseline.
 *
 * <p>Usage (from {@code schemas/}): {@code mvn -B -q compile exec:java} or, to only report,
 * {@code mvn -B -q compile exec:java -Dexec.args=--check}. Without Maven:
 * {@code java -cp <classpath> io.flinksip.schema.tools.SnapshotSchemas [--check] [compatDir]}; the directory
 * defaults to the system property {@code flinksip.schemas.compatDir}, else {@code ./compat}.
 *
 * <p>Exit codes: 0 nothing (more) to do / baselines written; 1 a schema is incompatible with a baseline;
 * 2 usage error; 3 with {@code --check}, baselines would be written.
 */
public final class SnapshotSchemas {

  /** Baseline file names: {@code v1.avsc}, {@code v2.avsc}, ... */
  public static final Pattern BASELINE_FILE = Pattern.compile("v([1-9][0-9]*)\\.avsc");

  private SnapshotSchemas() {}

  public static void main(String[] args) throws IOException {
    boolean check = false;
    String dir = System.getProperty("flinksip.schemas.compatDir", "compat");
    for (String arg : args) {
      if (arg.equals("--check")) {
        check = true;
      } else if (arg.startsWith("-")) {
        System.err.println("usage: SnapshotSchemas [--check] [compatDir]");
        System.exit(2);
        return;
      } else {
        dir = arg;
      }
    }
    System.exit(run(Paths.get(dir), check));
  }

  /** Does the work of {@link #main}, reporting to standard output/error; returns the exit code. */
  public static int run(Path compatDir, boolean checkOnly) throws IOException {
    return run(compatDir, checkOnly, System.out, System.err);
  }

  /** Does the work of {@link #main}, reporting to {@code out} and {@code err}; returns the exit code. */
  public static int run(Path compatDir, boolean checkOnly, PrintStream out, PrintStream err)
      throws IOException {
    int pending = 0;
    boolean incompatible = false;
    for (Schema current : SchemaCatalog.all()) {
      Path dir = compatDir.resolve(current.getName());
      TreeMap<Integer, Path> versions = baselines(dir);
      if (!versions.isEmpty()) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Integer, Path> e : versions.entrySet()) {
          Schema old = parseBaseline(e.getValue());
          List<String> why = incompatibilities(current, old);
          if (!why.isEmpty()) {
            problems.add("v" + e.getKey() + ": " + String.join("; ", why));
          }
        }
        if (!problems.isEmpty()) {
          err.println(
              current.getName() + ": current schema cannot read released data, not snapshotting:\n  "
                  + String.join("\n  ", problems));
          incompatible = true;
          continue;
        }
        if (parseBaseline(versions.lastEntry().getValue()).equals(current)) {
          out.println(current.getName() + ": up to date (v" + versions.lastKey() + ")");
          continue;
        }
      }
      int next = versions.isEmpty() ? 1 : versions.lastKey() + 1;
      Path target = dir.resolve("v" + next + ".avsc");
      pending++;
      if (checkOnly) {
        out.println(current.getName() + ": would write " + target);
      } else {
        Files.createDirectories(dir);
        Files.writeString(target, format(current), StandardCharsets.UTF_8);
        out.println(current.getName() + ": wrote " + target);
      }
    }
    if (incompatible) {
      return 1;
    }
    return checkOnly && pending > 0 ? 3 : 0;
  }

  /**
   * Text of a baseline: the fully resolved schema as pretty JSON (what {@code Schema.toString(true)} gives),
   * newline-terminated.
   */
  public static String format(Schema schema) {
    return SchemaFormatter.format("json/pretty", schema) + "\n";
  }

  /** Baseline files in {@code dir} by version number; empty when the directory does not exist. */
  public static TreeMap<Integer, Path> baselines(Path dir) throws IOException {
    TreeMap<Integer, Path> versions = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return versions;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Matcher m = BASELINE_FILE.matcher(file.getFileName().toString());
        if (m.matches()) {
          versions.put(Integer.parseInt(m.group(1)), file);
        }
      }
    }
    return versions;
  }

  /** Parses a self-contained baseline file. */
  public static Schema parseBaseline(Path file) throws IOException {
    return new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Why {@code reader} cannot read data written with {@code writer}; empty when it can. Each entry is Avro's
   * incompatibility type, location and message.
   */
  public static List<String> incompatibilities(Schema reader, Schema writer) {
    SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    List<String> out = new ArrayList<>();
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return out;
    }
    for (Incompatibility i : result.getResult().getIncompatibilities()) {
      out.add(i.getType() + " at " + i.getLocation() + ": " + i.getMessage());
    }
    if (out.isEmpty()) {
      out.add(result.getType() + ": " + result.getDescription());
    }
    return out;
  }
}
