package io.flinksip.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionsDocsTest {
    @Test
    void docsOptionsMdIsGeneratedFromTheCode() throws Exception {
        Path docs = Path.of("..", "docs", "options.md");
        assertTrue(Files.exists(docs), "docs/options.md exists");
        assertEquals(OptionsDocs.markdown(), Files.readString(docs),
                "docs/options.md is stale: regenerate it with ./flink-sip options > docs/options.md");
    }

    @Test
    void everyOptionHasADescriptionAndAUniqueKey() throws Exception {
        Set<String> keys = new HashSet<>();
        for (Field f : SipOptions.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                assertTrue(keys.add(o.key()), "duplicate key " + o.key());
                assertTrue(o.key().startsWith("sip."), o.key());
                assertFalse(o.description().getBlocks().isEmpty(), "no description: " + o.key());
            }
        }
        for (LlmRoleOptions r : LlmRoleOptions.all()) {
            for (ConfigOption<?> o : r.options()) {
                assertTrue(keys.add(o.key()), "duplicate key " + o.key());
            }
        }
    }
}
