package io.flinksip.eval;

import io.flinksip.job.JsonlInput;
import io.flinksip.job.config.SipOptions;
import io.flinksip.schema.Sample;
import io.flinksip.segment.SegmentConfig;
import io.flinksip.segment.Segmenter;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenIds;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Held-out prefixes cut from a JSONL document file exactly as the job cuts training samples. */
public final class EvalPrefixes {
    private EvalPrefixes() {
    }

    public static List<EvalPrefix> fromJsonl(Path file, TextTokenizer tokenizer, SegmentConfig segment, int limit)
            throws IOException {
        Segmenter segmenter = new Segmenter(segment, tokenizer);
        List<EvalPrefix> out = new ArrayList<>();
        JsonlInput.documents(file, SipOptions.INPUT_MAX_LINE_BYTES.defaultValue(), doc -> {
            for (Sample s : segmenter.segment(doc)) {
                int[] prefix = TokenIds.unboxed(s.getPrefixTokens());
                int[] suffix = TokenIds.unboxed(s.getSuffixTokens());
                out.add(new EvalPrefix(doc.getId() + "#" + s.getSampleIndex(), prefix, suffix,
                        tokenizer.decode(prefix), tokenizer.decode(suffix)));
            }
            return out.size() < limit;
        });
        return out.size() > limit ? out.subList(0, limit) : out;
    }
}
