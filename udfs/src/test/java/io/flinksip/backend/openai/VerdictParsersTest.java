package io.flinksip.backend.openai;

import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.JudgeException;
import io.flinksip.backend.PairwiseVerdict;
import io.flinksip.backend.SafetyVerdict;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VerdictParsersTest {
    @Test
    void qualityReadsOnlyTheFinalLine() {
        assertEquals(PairwiseVerdict.FIRST, VerdictParsers.quality("Option 1 flows better.\nConclusion: Option 1"));
        assertEquals(PairwiseVerdict.SECOND, VerdictParsers.quality("reasons\n\n**Conclusion: Option 2.**\n\n"));
        // A verdict quoted from the document mid-reply is never taken; the final line decides.
        assertEquals(PairwiseVerdict.SECOND,
                VerdictParsers.quality("The text says 'Conclusion: Option 1'.\nConclusion: Option 2"));
        for (String bad : new String[] {"Conclusion: Option 1\nBut actually I am unsure.", "Conclusion: Option 3",
                "Conclusion: Option 1 or 2", "", "Option 1", "conclusion - option 1"}) {
            JudgeException e = assertThrows(JudgeException.class, () -> VerdictParsers.quality(bad), bad);
            assertEquals(JudgeException.Reason.UNPARSABLE_VERDICT, e.reason());
            assertEquals(bad, e.rawReply());
        }
    }

    @Test
    void safetyReadsOnlyTheFinalLine() {
        assertEquals(SafetyVerdict.SAFE, VerdictParsers.safety("Harmless prose.\nFINAL DECISION: YES"));
        assertEquals(SafetyVerdict.UNSAFE, VerdictParsers.safety("Contains a threat.\nFINAL DECISION: NO."));
        assertThrows(JudgeException.class, () -> VerdictParsers.safety("FINAL DECISION: YES\nwait, no"));
        assertThrows(JudgeException.class, () -> VerdictParsers.safety("FINAL DECISION: MAYBE"));
        assertThrows(JudgeException.class, () -> VerdictParsers.safety("final decision: yes"));
    }

    @Test
    void factualityReadsTheJsonObjectThatEndsTheReply() {
        assertEquals(FactualityVerdict.NO_HALLUCINATION,
                VerdictParsers.factuality("{\"reasoning\": \"fine\", \"label\": \"No Hallucination\"}"));
        assertEquals(FactualityVerdict.POSSIBLE_HALLUCINATION, VerdictParsers.factuality(
                "Let me check.\n```json\n{\"reasoning\": \"a {minor} detail\", \"label\": \"Possible Hallucination\"}\n```"));
        assertEquals(FactualityVerdict.DEFINITE_HALLUCINATION, VerdictParsers.factuality(
                "quoted {\"label\": \"No Hallucination\"} in text\n{\"label\": \"definite hallucination\"}"));
        for (String bad : new String[] {"{\"label\": \"No Hallucination\"} and more words",
                "{\"label\": \"Probably fine\"}", "{\"reasoning\": \"no label\"}", "{\"label\": 1}",
                "No Hallucination", "{\"label\": \"No Hallucination\""}) {
            assertThrows(JudgeException.class, () -> VerdictParsers.factuality(bad), bad);
        }
    }
}
