package io.flinksip.segment;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentParserTest {
    private final DocumentParser parser = new DocumentParser("test");

    private DocumentParser.Result parse(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return parser.parse(new RawLine(bytes, false, bytes.length));
    }

    @Test
    void aByteOrderMarkAtTheStartOfALineIsNotPartOfTheRecord() {
        DocumentParser.Result r = parse("\uFEFF{\"id\": \"w1\", \"text\": \"Saved on Windows.\"}");
        assertNotNull(r.document(), "the line is a document, not malformed_json: " + r.deadLetter());
        assertEquals("w1", r.document().getId());
        assertTrue(parse("\uFEFF").isBlank(), "a line holding only a mark is blank");
        DocumentParser.Result inside = parse("{\"id\": \"w2\", \"text\": \"\uFEFFkept\"}");
        assertEquals("\uFEFFkept", inside.document().getText(), "a mark inside the text is the document's own");
    }

    @Test
    void anythingAfterTheObjectMakesTheLineMalformed() {
        for (String line : new String[] {"{\"id\": \"a\", \"text\": \"t\"} trailing", "{\"id\": \"a\", \"text\": \"t\"}{}",
            "{\"id\": \"a\", \"text\": \"t\"} 42"}) {
            DocumentParser.Result r = parse(line);
            assertNotNull(r.deadLetter(), "dead-lettered: " + line);
            assertEquals("malformed_json", r.deadLetter().getReason(), line);
        }
        assertNotNull(parse("{\"id\": \"a\", \"text\": \"t\"}   ").document(), "trailing whitespace is fine");
    }

    @Test
    void attributesThatAreNotAnObjectAreDroppedAndSaidSo() {
        DocumentParser.Result list = parse("{\"id\": \"a\", \"text\": \"t\", \"attributes\": [1, 2]}");
        assertNotNull(list.document());
        assertTrue(list.droppedAttributes());
        assertTrue(list.document().getAttributes().isEmpty());
        DocumentParser.Result object = parse("{\"id\": \"a\", \"text\": \"t\", \"attributes\": {\"lang\": \"en\"}}");
        assertFalse(object.droppedAttributes());
        assertEquals("en", object.document().getAttributes().get("lang"));
        assertFalse(parse("{\"id\": \"a\", \"text\": \"t\", \"attributes\": null}").droppedAttributes(),
                "null is no attributes, not bad ones");
    }
}
