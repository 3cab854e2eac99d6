package io.flinksip.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/** Test helpers: locating the module, parsing sets of {@code .avsc} files, reading them from git HEAD. */
final class SchemaFiles {

  private SchemaFiles() {}

  /** The {@code schemas/} module directory (Surefire runs with it as working directory anyway). */
  static Path moduleDir() {
    String dir = System.getProperty("flinksip.schemas.basedir");
    if (dir == null) {
      dir = System.getProperty("basedir", System.getProperty("user.dir"));
    }
    return Paths.get(dir).toAbsolutePath().normalize();
  }

  static Path avroSourceDir() {
    return moduleDir().resolve("src/main/avro");
  }

  static Path compatDir() {
    return moduleDir().resolve("compat");
  }

  /** {@code .avsc} file name to its text, sorted by file name. */
  static Map<String, String> readAvroSources() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(avroSourceDir())) {
      for (Path p : (Iterable<Path>) list::iterator) {
        if (p.getFileName().toString().endsWith(".avsc")) {
          files.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    }
    return files;
  }

  /** Result of {@link #parseAll}: the schema of each file that could be parsed, and why the others could not. */
  record Parsed(Map<String, Schema> schemas, Map<String, String> failures) {}

  /**
   * Parses a set of schema files that may reference each other's named types, in whatever order resolves
   * (like the avro-maven-plugin's {@code imports}, but without having to know the order). Each attempt uses a
   * fresh parser pre-loaded with the types parsed so far, so a failed attempt leaves nothing behind.
   */
  static Parsed parseAll(Map<String, String> files) {
    Map<String, Schema> parsed = new LinkedHashMap<>();
    Map<String, Schema> knownTypes = new LinkedHashMap<>();
    Map<String, String> failures = new TreeMap<>();
    boolean progress = true;
    while (progress) {
      progress = false;
      failures.clear();
      for (Map.Entry<String, String> file : files.entrySet()) {
        if (parsed.containsKey(file.getKey())) {
          continue;
        }
        Schema.Parser parser = new Schema.Parser();
        try {
          parser.addTypes(knownTypes.values());
          Schema schema = parser.parse(file.getValue());
          parsed.put(file.getKey(), schema);
          knownTypes.putAll(parser.getTypes());
          progress = true;
        } catch (RuntimeException e) {
          failures.put(file.getKey(), String.valueOf(e.getMessage()));
        }
      }
    }
    return new Parsed(parsed, failures);
  }

  /** Runs git in the module directory; empty when git is missing, fails, or takes too long. */
  static Optional<String> git(String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(moduleDir().toFile());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().put("GIT_PAGER", "cat");
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return Optional.empty(); // no git on this machine
    }
    try (InputStream out = process.getInputStream()) {
      process.getOutputStream().close(); // git reads nothing from stdin
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      out.transferTo(buffer);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return Optional.of(buffer.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      process.destroyForcibly();
      return Optional.empty();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * The {@code src/main/avro/*.avsc} files of this module as committed in {@code HEAD} (file name to text);
   * empty when not in a git checkout, git is unavailable, there is no HEAD yet, or HEAD has no such files.
   */
  static Map<String, String> readAvroSourcesAtHead() {
    Map<String, String> files = new TreeMap<>();
    if (git("rev-parse", "--verify", "--quiet", "HEAD^{commit}").isEmpty()) {
      return files;
    }
    Optional<String> listing = git("ls-tree", "--full-name", "--name-only", "HEAD", "--", "src/main/avro/");
    if (listing.isEmpty()) {
      return files;
    }
    for (String path : listing.get().split("\n")) {
      path = path.strip();
      if (!path.endsWith(".avsc")) {
        continue;
      }
      String name = path.substring(path.lastIndexOf('/') + 1);
      git("show", "HEAD:" + path).ifPresent(text -> files.put(name, text));
    }
    return files;
  }
}
