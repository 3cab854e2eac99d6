package io.flinksip.segment;

import io.flinksip.deadletter.DeadLetters;
import io.flinksip.metrics.StageTime;
import io.flinksip.schema.DeadLetter;
import io.flinksip.schema.Document;
import io.flinksip.schema.Sample;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenizerBackend;
import io.flinksip.tokenizer.TokenizerJson;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The segment stage: JSONL line → document → prefix | suffix samples. Bad input goes to the dead-letter side output
 * with a reason and a counter per reason; blank lines are dropped and counted ({@code blankLines}).
 */
public final class SegmentFunction extends ProcessFunction<RawLine, Sample> {
    private static final long serialVersionUID = 1L;

    private final SegmentConfig config;
    private final String tokenizerJson;
    private final TokenizerBackend tokenizerBackend;
    private final String source;
    private final boolean shardByPartition;

    private transient DocumentParser parser;
    private transient Segmenter segmenter;
    private transient TextTokenizer tokenizer;
    private transient StageTime time;
    private transient Counter documents;
    private transient Counter samples;
    private transient Counter blankLines;
    private transient Counter droppedAttributes;
    private transient Map<String, Counter> deadLetters;
    private transient MetricGroup deadLetterGroup;

    /**
     * @param shardByPartition samples take the Kafka partition of their record as their ordered input shard (strict
     *     mode with Kafka input); otherwise every sample is in shard 0
     */
    public SegmentFunction(SegmentConfig config, String tokenizerJson, String source, boolean shardByPartition) {
        this(config, tokenizerJson, TokenizerBackend.AUTO, source, shardByPartition);
    }

    public SegmentFunction(SegmentConfig config, String tokenizerJson, TokenizerBackend tokenizerBackend,
                           String source, boolean shardByPartition) {
        this.config = config;
        this.tokenizerJson = tokenizerJson;
        this.tokenizerBackend = tokenizerBackend;
        this.source = source;
        this.shardByPartition = shardByPartition;
    }

    @Override
    public void open(OpenContext openContext) {
        tokenizer = TokenizerJson.load(tokenizerJson, tokenizerBackend);
        parser = new DocumentParser(source);
        segmenter = new Segmenter(config, tokenizer);
        MetricGroup group = getRuntimeContext().getMetricGroup();
        documents = group.counter("documents");
        samples = group.counter("samples");
        blankLines = group.counter("blankLines");
        droppedAttributes = group.counter("droppedAttributes");
        deadLetterGroup = group.addGroup("deadLetters");
        deadLetters = new HashMap<>();
        time = StageTime.register(group, DocumentParser.STAGE);
    }

    @Override
    public void processElement(RawLine line, Context ctx, Collector<Sample> out) {
        long started = time.start();
        List<Sample> cut;
        try {
            cut = segment(line, ctx);
        } finally {
            time.since(started); // emitting is not the stage's work: it waits on the next one
        }
        for (Sample s : cut) {
            samples.inc();
            out.collect(s);
        }
    }

    /** The line's samples, none when it is blank or dead-lettered. */
    private List<Sample> segment(RawLine line, Context ctx) {
        DocumentParser.Result parsed = parser.parse(line);
        if (parsed.isBlank()) {
            blankLines.inc();
            return List.of();
        }
        if (parsed.deadLetter() != null) {
            deadLetter(ctx, parsed.deadLetter());
            return List.of();
        }
        Document doc = parsed.document();
        documents.inc();
        if (parsed.droppedAttributes()) {
            droppedAttributes.inc();
        }
        if (doc.getText().length() > config.maxDocumentChars()) {
            deadLetter(ctx, DeadLetters.of(DocumentParser.STAGE, "oversized_document", "document of "
                    + doc.getText().length() + " characters exceeds " + config.maxDocumentChars(), doc.getId(), null,
                    line.bytes));
            return List.of();
        }
        List<Sample> cut = segmenter.segment(doc, shardByPartition ? Math.max(0, line.partition) : 0);
        if (cut.isEmpty()) {
            deadLetter(ctx, DeadLetters.of(DocumentParser.STAGE, "too_short", "fewer than "
                    + (config.minPrefixTokens() + config.suffixTokens()) + " tokens", doc.getId(), null,
                    doc.getText().getBytes(StandardCharsets.UTF_8)));
            return List.of();
        }
        return cut;
    }

    private void deadLetter(Context ctx, DeadLetter letter) {
        deadLetters.computeIfAbsent(letter.getReason(), deadLetterGroup::counter).inc();
        ctx.output(DeadLetters.TAG, letter);
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
