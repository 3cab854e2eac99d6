package io.flinksip.backend.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.JudgeException;
import io.flinksip.backend.PairwiseVerdict;
import io.flinksip.backend.SafetyVerdict;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict parsers of judge replies. Only the protocol's final answer is read: for quality and safety the last
 * non-blank line of the reply must be exactly the verdict line (optionally in bold, optionally with a final full
 * stop); for factuality the reply must end with a JSON object whose {@code label} is one of the three labels. A verdict
 * anywhere else (for example inside echoed document text) is never picked up, and anything else is a parse failure.
 */
public final class VerdictParsers {
    private static final Pattern QUALITY = Pattern.compile("\\**\\s*Conclusion:\\s*Option\\s+([12])\\s*\\.?\\s*\\**");
    private static final Pattern SAFETY = Pattern.compile("\\**\\s*FINAL DECISION:\\s*(YES|NO)\\s*\\.?\\s*\\**");
    private static final ObjectMapper JSON = new ObjectMapper();

    private VerdictParsers() {
    }

    public static PairwiseVerdict quality(String reply) {
        Matcher m = QUALITY.matcher(lastLine(reply));
        if (!m.matches()) {
            throw unparsable("last line is not 'Conclusion: Option 1|2'", reply);
        }
        return m.group(1).equals("1") ? PairwiseVerdict.FIRST : PairwiseVerdict.SECOND;
    }

    public static SafetyVerdict safety(String reply) {
        Matcher m = SAFETY.matcher(lastLine(reply));
        if (!m.matches()) {
            throw unparsable("last line is not 'FINAL DECISION: YES|NO'", reply);
        }
        return m.group(1).equals("YES") ? SafetyVerdict.SAFE : SafetyVerdict.UNSAFE;
    }

    public static FactualityVerdict factuality(String reply) {
        String body = stripTrailingFence(reply == null ? "" : reply.strip());
        // The final answer is the JSON object that ends the reply: try each '{' from the right.
        for (int start = body.lastIndexOf('{'); start >= 0; start = body.lastIndexOf('{', start - 1)) {
            JsonNode node = parseWholeObject(body.substring(start));
            if (node != null) {
                JsonNode label = node.get("label");
                if (label == null || !label.isTextual()) {
                    throw unparsable("final JSON object has no string 'label'", reply);
                }
                return switch (label.asText().strip().toLowerCase()) {
                    case "no hallucination" -> FactualityVerdict.NO_HALLUCINATION;
                    case "possible hallucination" -> FactualityVerdict.POSSIBLE_HALLUCINATION;
                    case "definite hallucination" -> FactualityVerdict.DEFINITE_HALLUCINATION;
                    default -> throw unparsable("unknown label '" + label.asText() + "'", reply);
                };
            }
        }
        throw unparsable("reply does not end with a JSON object", reply);
    }

    private static JsonNode parseWholeObject(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            JsonNode node = JSON.readTree(p);
            if (node == null || !node.isObject() || p.nextToken() != null) {
                return null;
            }
            return node;
        } catch (IOException e) {
            return null;
        }
    }

    private static String stripTrailingFence(String s) {
        if (s.endsWith("```")) {
            String inner = s.substring(0, s.length() - 3).stripTrailing();
            int open = inner.lastIndexOf("```");
            if (open >= 0) {
                String fenced = inner.substring(open + 3);
                int newline = fenced.indexOf('\n');
                String lang = newline >= 0 ? fenced.substring(0, newline).strip() : "";
                if (lang.isEmpty() || lang.equalsIgnoreCase("json")) {
                    return (newline >= 0 ? fenced.substring(newline + 1) : fenced).strip();
                }
            }
        }
        return s;
    }

    private static String lastLine(String reply) {
        if (reply == null) {
            return "";
        }
        String[] lines = reply.strip().split("\\R");
        return lines[lines.length - 1].strip();
    }

    private static JudgeException unparsable(String why, String reply) {
        return new JudgeException(JudgeException.Reason.UNPARSABLE_VERDICT, why, reply, null);
    }
}
