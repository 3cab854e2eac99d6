package io.flinksip.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.schema.Document;
import io.flinksip.schema.Sample;
import io.flinksip.segment.SegmentConfig;
import io.flinksip.segment.Segmenter;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenIds;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Held-out prefixes cut from a JSONL document file exactly as the job cuts training samples. */
public final class EvalPrefixes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalPrefixes() {
    }

    public static List<EvalPrefix> fromJsonl(Path file, TextTokenizer tokenizer, SegmentConfig segment, int limit)
            throws IOException {
        Segmenter segmenter = new Segmenter(segment, tokenizer);
        List<EvalPrefix> out = new ArrayList<>();
        InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && out.size() < limit) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                Document doc = Document.newBuilder().setId(n.path("id").asText()).setText(n.path("text").asText())
                        .setSource(file.toString()).setEventTimeMillis(n.path("timestamp").asLong(0)).build();
                for (Sample s : segmenter.segment(doc)) {
                    int[] prefix = TokenIds.unboxed(s.getPrefixTokens());
                    int[] suffix = TokenIds.unboxed(s.getSuffixTokens());
                    out.add(new EvalPrefix(doc.getId() + "#" + s.getSampleIndex(), prefix, suffix,
                            tokenizer.decode(prefix), tokenizer.decode(suffix)));
                }
            }
        }
        return out.size() > limit ? out.subList(0, limit) : out;
    }
}
