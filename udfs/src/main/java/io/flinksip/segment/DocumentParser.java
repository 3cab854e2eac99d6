package io.flinksip.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.deadletter.DeadLetters;
import io.flinksip.schema.DeadLetter;
import io.flinksip.schema.Document;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Parses one JSONL line into a {@link Document}: {@code {"id": "...", "text": "...", "timestamp": <epoch ms>,
 * "attributes": {...}}}. Anything else becomes a dead letter with a reason: {@code oversized_document},
 * {@code invalid_utf8}, {@code malformed_json} (also for anything after the object), {@code missing_field},
 * {@code empty_document}. A blank line is no record at all and yields {@link Result#blank()}, counted by the caller. A
 * UTF-8 byte order mark at the start of a line (files exported on Windows) is not part of the record; an
 * {@code attributes} value that is not an object is dropped, and the result says so for the caller's counter.
 */
public final class DocumentParser {
    public static final String STAGE = "segment";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    /**
     * Either a document, a dead letter, or neither (a blank line).
     *
     * @param droppedAttributes the line's {@code attributes} was not an object and was left out
     */
    public record Result(Document document, DeadLetter deadLetter, boolean droppedAttributes) {
        public Result(Document document, DeadLetter deadLetter) {
            this(document, deadLetter, false);
        }

        static Result blank() {
            return new Result(null, null);
        }

        public boolean isBlank() {
            return document == null && deadLetter == null;
        }
    }

    private final String source;

    public DocumentParser(String source) {
        this.source = source;
    }

    public Result parse(RawLine line) {
        if (line.avro) {
            return parseAvro(line);
        }
        if (line.truncated) {
            return dead("oversized_document", "line of " + line.length + " bytes exceeds the limit", null, line.bytes);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line.bytes)).toString();
        } catch (CharacterCodingException e) {
            return dead("invalid_utf8", "line is not valid UTF-8", null, line.bytes);
        }
        if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            return Result.blank();
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (Exception e) {
            return dead("malformed_json", firstLine(e.getMessage()), null, line.bytes);
        }
        if (node == null || !node.isObject()) {
            return dead("malformed_json", "line is not a JSON object", null, line.bytes);
        }
        JsonNode id = node.get("id");
        JsonNode body = node.get("text");
        if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
            return dead("missing_field", "no string 'id'", null, line.bytes);
        }
        if (body == null || !body.isTextual()) {
            return dead("missing_field", "no string 'text'", id.asText(), line.bytes);
        }
        if (body.asText().isBlank()) {
            return dead("empty_document", "text is empty", id.asText(), line.bytes);
        }
        JsonNode ts = node.get("timestamp");
        long eventTime = ts != null && ts.isIntegralNumber() ? ts.asLong() : 0L;
        Map<String, String> attributes = new HashMap<>();
        JsonNode attrs = node.get("attributes");
        boolean droppedAttributes = attrs != null && !attrs.isNull() && !attrs.isObject();
        if (attrs != null && attrs.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                attributes.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        return new Result(Document.newBuilder()
                .setId(id.asText())
                .setText(body.asText())
                .setSource(source)
                .setEventTimeMillis(eventTime)
                .setAttributes(attributes)
                .build(), null, droppedAttributes);
    }

    private static final org.apache.avro.specific.SpecificDatumReader<Document> AVRO =
            new org.apache.avro.specific.SpecificDatumReader<>(Document.class);

    /** An Avro-encoded Document (Kafka value): dead letters {@code malformed_avro} and {@code empty_document}. */
    private Result parseAvro(RawLine record) {
        if (record.bytes == null || record.bytes.length == 0) {
            return dead("malformed_avro", "empty record value", null, record.bytes);
        }
        Document doc;
        try {
            var decoder = org.apache.avro.io.DecoderFactory.get().binaryDecoder(record.bytes, null);
            doc = AVRO.read(null, decoder);
            if (!decoder.isEnd()) {
                return dead("malformed_avro", "trailing bytes after the Document", null, record.bytes);
            }
        } catch (Exception e) {
            return dead("malformed_avro", "not an Avro Document: " + e.getClass().getSimpleName(), null,
                    record.bytes);
        }
        if (doc.getId() == null || doc.getId().isBlank()) {
            return dead("missing_field", "Document without id", null, record.bytes);
        }
        if (doc.getText() == null || doc.getText().isBlank()) {
            return dead("empty_document", "text is empty", doc.getId(), record.bytes);
        }
        if (doc.getEventTimeMillis() == 0 && record.timestampMillis > 0) {
            doc.setEventTimeMillis(record.timestampMillis);
        }
        if (doc.getSource() == null) {
            doc.setSource(source);
        }
        return new Result(doc, null);
    }

    private static Result dead(String reason, String detail, String docId, byte[] payload) {
        return new Result(null, DeadLetters.of(STAGE, reason, detail, docId, null, payload));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
