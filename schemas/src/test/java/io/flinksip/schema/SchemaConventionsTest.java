package io.flinksip.schema;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.junit.jupiter.api.Test;

/** House rules every schema follows, so that later changes can stay backward compatible. */
class SchemaConventionsTest {

  @Test
  void everyTypeAndFieldIsDocumented() {
    List<String> missing = new ArrayList<>();
    for (Schema s : SchemaCatalog.all()) {
      if (isBlank(s.getDoc())) {
        missing.add(s.getName());
      }
      if (s.getType() == Schema.Type.RECORD) {
        for (Field f : s.getFields()) {
          if (isBlank(f.doc())) {
            missing.add(s.getName() + "." + f.name());
          }
        }
      }
    }
    assertTrue(missing.isEmpty(), () -> "missing doc: " + missing);
  }

  @Test
  void everySchemaIsInTheProjectNamespace() {
    for (Schema s : SchemaCatalog.all()) {
      assertTrue(SchemaCatalog.NAMESPACE.equals(s.getNamespace()), s.getFullName());
    }
  }

  /**
   * Optional values are {@code ["null", T]} with default null; arrays and maps default to empty. That is what a
   * field added later needs, and keeping it for every field keeps the schemas uniform.
   */
  @Test
  void unionsAndCollectionsHaveEmptyDefaults() {
    List<String> problems = new ArrayList<>();
    for (Schema s : SchemaCatalog.all()) {
      if (s.getType() != Schema.Type.RECORD) {
        continue;
      }
      for (Field f : s.getFields()) {
        String where = s.getName() + "." + f.name();
        Schema type = f.schema();
        switch (type.getType()) {
          case UNION -> {
            if (type.getTypes().size() != 2 || type.getTypes().get(0).getType() != Schema.Type.NULL) {
              problems.add(where + ": unions must be [\"null\", T]");
            }
            if (!f.hasDefaultValue() || f.defaultVal() != JsonProperties.NULL_VALUE) {
              problems.add(where + ": optional field needs \"default\": null");
            }
          }
          case ARRAY -> {
            if (!f.hasDefaultValue() || !((Collection<?>) f.defaultVal()).isEmpty()) {
              problems.add(where + ": array field needs \"default\": []");
            }
          }
          case MAP -> {
            if (!f.hasDefaultValue() || !((Map<?, ?>) f.defaultVal()).isEmpty()) {
              problems.add(where + ": map field needs \"default\": {}");
            }
          }
          default -> { }
        }
      }
    }
    assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
