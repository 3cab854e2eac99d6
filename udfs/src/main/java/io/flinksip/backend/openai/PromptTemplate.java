package io.flinksip.backend.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat prompt with a system and a user part, read from a template file users can override. Document texts fill
 * {@code {{name}}} placeholders as delimited blocks:
 *
 * <pre>
 * &lt;&lt;&lt;NAME 3f0c9a5e7d21b4c8&gt;&gt;&gt;
 * text
 * &lt;&lt;&lt;END NAME 3f0c9a5e7d21b4c8&gt;&gt;&gt;
 * </pre>
 *
 * The id is derived from a hash of all the texts of the prompt and is checked to occur in none of them, so a document
 * can never close its own block and smuggle text outside it, whatever it contains. Texts are inserted unchanged.
 *
 * <p>File format: lines starting with {@code #} are comments; a line {@code [system]} starts the system part and
 * {@code [user]} the user part.
 */
public final class PromptTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
    /** Matches one delimited block in a rendered prompt (used by servers that parse our prompts, e.g. the reference server). */
    public static final Pattern BLOCK = Pattern.compile(
            "<<<([A-Z_0-9]+) ([0-9a-f]{16})>>>\\n(.*?)\\n<<<END \\1 \\2>>>", Pattern.DOTALL);

    private final String name;
    private final String system;
    private final String user;

    private PromptTemplate(String name, String system, String user) {
        this.name = name;
        this.system = system;
        this.user = user;
    }

    /** The bundled template {@code name} ({@code quality}, {@code safety}, {@code factuality}, {@code rewrite}). */
    public static PromptTemplate bundled(String name) {
        String resource = "/io/flinksip/backend/prompts/" + name + ".txt";
        try (InputStream in = PromptTemplate.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no bundled prompt template '" + name + "'");
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code dir/name.txt} when a directory is given and holds it, else the bundled template. */
    public static PromptTemplate load(String name, Path overrideDir) {
        if (overrideDir != null) {
            Path file = overrideDir.resolve(name + ".txt");
            if (Files.isRegularFile(file)) {
                try {
                    return parse(name, Files.readString(file, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read prompt template " + file, e);
                }
            }
        }
        return bundled(name);
    }

    static PromptTemplate parse(String name, String content) {
        StringBuilder system = null;
        StringBuilder user = null;
        StringBuilder current = null;
        for (String line : content.split("\n", -1)) {
            String t = line.strip();
            if (current == null && (t.isEmpty() || t.startsWith("#"))) {
                continue;
            }
            if (t.equals("[system]")) {
                current = system = new StringBuilder();
            } else if (t.equals("[user]")) {
                current = user = new StringBuilder();
            } else if (current == null) {
                throw new IllegalArgumentException("prompt template '" + name + "': text before [system] or [user]");
            } else if (!t.startsWith("#")) {
                current.append(line).append('\n');
            }
        }
        if (user == null) {
            throw new IllegalArgumentException("prompt template '" + name + "' has no [user] part");
        }
        return new PromptTemplate(name, system == null ? "" : system.toString().strip(), user.toString().strip());
    }

    public String name() {
        return name;
    }

    /** Placeholders the user part uses, in order of first use. */
    public List<String> placeholders() {
        List<String> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(system + "\n" + user);
        while (m.find()) {
            if (!out.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** Renders the messages; every placeholder must be supplied, and only placeholders the template uses. */
    public List<ChatCompletionClient.Message> render(Map<String, String> texts) {
        List<String> used = placeholders();
        if (!used.containsAll(texts.keySet()) || !texts.keySet().containsAll(used)) {
            throw new IllegalArgumentException("prompt template '" + name + "' uses " + used + " but got "
                    + texts.keySet());
        }
        String id = blockId(texts);
        Map<String, String> blocks = new LinkedHashMap<>();
        texts.forEach((k, v) -> {
            String tag = k.toUpperCase();
            blocks.put(k, "<<<" + tag + " " + id + ">>>\n" + v + "\n<<<END " + tag + " " + id + ">>>");
        });
        List<ChatCompletionClient.Message> messages = new ArrayList<>(2);
        if (!system.isEmpty()) {
            messages.add(ChatCompletionClient.Message.system(fill(system, blocks)));
        }
        messages.add(ChatCompletionClient.Message.user(fill(user, blocks)));
        return messages;
    }

    private static String fill(String part, Map<String, String> blocks) {
        Matcher m = PLACEHOLDER.matcher(part);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(blocks.get(m.group(1))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A 16-hex-digit id that no text contains (hash of the texts; re-hashed in the astronomically rare collision). */
    static String blockId(Map<String, String> texts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int salt = 0; ; salt++) {
                sha.reset();
                sha.update((byte) salt);
                texts.forEach((k, v) -> {
                    sha.update(k.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    sha.update(v.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                });
                String id = HexFormat.of().formatHex(sha.digest(), 0, 8);
                if (texts.values().stream().noneMatch(v -> v.contains(id))) {
                    return id;
                }
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Extracts the delimited texts of a rendered prompt, by tag (for servers that parse our prompts). */
    public static Map<String, String> extractBlocks(String renderedPrompt) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(renderedPrompt);
        while (m.find()) {
            out.putIfAbsent(m.group(1), m.group(3));
        }
        return out;
    }
}
