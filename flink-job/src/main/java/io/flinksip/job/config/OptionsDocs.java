package io.flinksip.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.description.HtmlFormatter;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the options table of docs/options.md from {@link SipOptions} and {@link LlmRoleOptions}, so the docs cannot
 * drift from the code (a test compares them). Regenerate with {@code ./flink-sip options > docs/options.md}.
 */
public final class OptionsDocs {
    private OptionsDocs() {
    }

    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Configuration options\n\n");
        sb.append("Generated from `SipOptions` and `LlmRoleOptions` (`./flink-sip options > docs/options.md`). Set "
                + "options in a Flink `config.yaml`, as `-Dkey=value`, or through the `run` command's flags. Flink's "
                + "own options (checkpointing, state backend, restart strategy) start from the fragments in "
                + "`checkpoints-config/`.\n\n");
        sb.append("## Job\n\n");
        sb.append("In the order of the dataflow: one table per stage, by the key's second part.\n");
        Map<String, List<ConfigOption<?>>> bySection = new LinkedHashMap<>();
        for (String section : SECTIONS.keySet()) {
            bySection.put(section, new ArrayList<>());
        }
        for (ConfigOption<?> o : staticOptions(SipOptions.class)) {
            bySection.computeIfAbsent(section(o.key()), k -> new ArrayList<>()).add(o);
        }
        for (Map.Entry<String, List<ConfigOption<?>>> e : bySection.entrySet()) {
            if (!e.getValue().isEmpty()) {
                sb.append("\n### ").append(SECTIONS.getOrDefault(e.getKey(), e.getKey())).append("\n\n");
                table(sb, e.getValue());
            }
        }
        sb.append("\n## Kafka\n\n");
        sb.append("Client settings for your cluster: credentials and TLS in a client properties file "
                + "(`sip.kafka.client-config-file`), anything else through `sip.kafka.properties.<kafka key>`.\n\n");
        table(sb, staticOptions(io.flinksip.job.kafka.KafkaOptions.class));
        sb.append("\n## LLM endpoints (`sip.judge.backend: OPENAI`)\n\n");
        sb.append("Each role (`quality`, `safety`, `factuality`, `rewriter`) has its own keys under `sip.llm.<role>.`;"
                + " each falls back to the same key without the role (`sip.llm.base-url`, ...), so one block of "
                + "settings can serve every role. A role without a base URL is not used.\n\n");
        List<ConfigOption<?>> roles = new ArrayList<>();
        for (LlmRoleOptions r : LlmRoleOptions.all()) {
            roles.addAll(r.options());
        }
        table(sb, roles);
        return sb.toString();
    }

    /** The sections of the job's options, by the key's second part, in dataflow order; others follow by name. */
    private static final Map<String, String> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put("", "General");
        SECTIONS.put("input", "Input");
        SECTIONS.put("world", "Reference world (the embedded default's corpus and judges)");
        SECTIONS.put("tokenizer", "Tokenizer");
        SECTIONS.put("segment", "Segment");
        SECTIONS.put("sync", "Sequence and sync");
        SECTIONS.put("rollout", "Rollouts");
        SECTIONS.put("rewrite", "Rewrite");
        SECTIONS.put("judge", "Judges");
        SECTIONS.put("reward", "Reward");
        SECTIONS.put("learner", "Learner");
        SECTIONS.put("model", "Model");
        SECTIONS.put("weights", "Weight store");
        SECTIONS.put("export", "Hugging Face export");
        SECTIONS.put("output", "Outputs");
    }

    /** {@code sip.<section>.<name>} → section; {@code sip.<name>} → "" (general). */
    static String section(String key) {
        String[] parts = key.split("\\.");
        return parts.length > 2 ? parts[1] : "";
    }

    static List<ConfigOption<?>> staticOptions(Class<?> holder) {
        List<ConfigOption<?>> out = new ArrayList<>();
        for (Field f : holder.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                try {
                    out.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    private static void table(StringBuilder sb, List<ConfigOption<?>> options) {
        sb.append("| key | default | description |\n| --- | --- | --- |\n");
        for (ConfigOption<?> o : options) {
            String fallback = "";
            for (FallbackKey k : o.fallbackKeys()) {
                fallback = " (falls back to `" + k.getKey() + "`)";
            }
            sb.append("| `").append(o.key()).append("` | ").append(defaultValue(o)).append(" | ")
                    .append(new HtmlFormatter().format(o.description()).replace("|", "\\|").replace("\n", " "))
                    .append(fallback)
                    .append(" |\n");
        }
    }

    private static String defaultValue(ConfigOption<?> o) {
        if (!o.hasDefaultValue()) {
            return "(none)";
        }
        Object v = o.defaultValue();
        if (v instanceof Duration d) {
            return "`" + (d.isZero() ? "0" : d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms")
                    + "`";
        }
        return "`" + v + "`";
    }
}
