package io.flinksip.segment;

import io.flinksip.deadletter.DeadLetters;
import io.flinksip.schema.DeadLetter;
import io.flinksip.schema.Sample;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The segment stage in Flink's operator harness: samples on the main output, bad lines on the dead-letter output. */
class SegmentFunctionTest {
    private static final String TEXT = "The river runs past the old mill and the town wakes slowly under grey skies. "
            .repeat(6);
    private static String tokenizerJson;

    @BeforeAll
    static void trainTokenizer(@TempDir Path dir) throws Exception {
        new ByteLevelBpeTrainer(512).train(List.of(TEXT)).save(dir.resolve("tokenizer.json"));
        tokenizerJson = Files.readString(dir.resolve("tokenizer.json"));
    }

    private static OneInputStreamOperatorTestHarness<RawLine, Sample> harness(boolean shardByPartition)
            throws Exception {
        SegmentConfig config = new SegmentConfig(8, 32, 4, SegmentConfig.SplitPolicy.RANDOM_ONE, 2_000, 7);
        var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(
                new SegmentFunction(config, tokenizerJson, "test", shardByPartition)));
        h.open();
        return h;
    }

    private static RawLine line(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return new RawLine(bytes, false, bytes.length);
    }

    @Test
    void everyLineBecomesASampleADeadLetterWithItsReasonOrACountedBlank() throws Exception {
        try (var h = harness(false)) {
            h.processElement(new StreamRecord<>(line("{\"id\":\"good\",\"text\":\"" + TEXT + "\"}"), 1));
            h.processElement(new StreamRecord<>(line("   "), 2));
            h.processElement(new StreamRecord<>(line("{\"id\":\"broken\",\"text\":"), 3));
            h.processElement(new StreamRecord<>(line("{\"id\":\"short\",\"text\":\"a mill\"}"), 4));
            h.processElement(new StreamRecord<>(line("{\"id\":\"huge\",\"text\":\"" + "x ".repeat(1_500) + "\"}"), 5));
            h.processElement(new StreamRecord<>(line("{\"text\":\"no id here\"}"), 6));

            List<Sample> samples = new ArrayList<>(h.extractOutputValues());
            assertEquals(1, samples.size(), "one random split of the one good document");
            Sample s = samples.get(0);
            assertEquals("good", s.getDocId());
            assertEquals(8, s.getSuffixTokens().size(), "the suffix is N tokens");
            assertTrue(s.getPrefixTokens().size() >= 4 && s.getPrefixTokens().size() <= 32, "prefix within bounds");
            assertEquals(0, s.getShard(), "without partition sharding every sample is in shard 0");

            Map<String, String> reasons = new TreeMap<>();
            List<String> all = new ArrayList<>();
            for (StreamRecord<DeadLetter> r : h.getSideOutput(DeadLetters.TAG)) {
                reasons.put(String.valueOf(r.getValue().getDocId()), r.getValue().getReason());
                all.add(r.getValue().getReason());
            }
            assertEquals(4, h.getSideOutput(DeadLetters.TAG).size(), "the blank line is counted, not dead-lettered: "
                    + reasons);
            assertEquals(List.of("malformed_json", "missing_field", "oversized_document", "too_short"),
                    all.stream().sorted().toList(), "each bad line with its reason: " + all);
            assertEquals("too_short", reasons.get("short"));
            assertEquals("oversized_document", reasons.get("huge"));
        }
    }

    @Test
    void theSameLineCutsTheSameSampleOnReplayAndKafkaPartitionsBecomeShards() throws Exception {
        List<Sample> first;
        try (var h = harness(false)) {
            h.processElement(new StreamRecord<>(line("{\"id\":\"d\",\"text\":\"" + TEXT + "\"}"), 1));
            first = new ArrayList<>(h.extractOutputValues());
        }
        try (var h = harness(true)) {
            RawLine fromKafka = line("{\"id\":\"d\",\"text\":\"" + TEXT + "\"}");
            fromKafka.partition = 3;
            h.processElement(new StreamRecord<>(fromKafka, 1));
            Sample replayed = h.extractOutputValues().get(0);
            assertEquals(first.get(0).getPrefixTokens(), replayed.getPrefixTokens(), "a replay cuts the same split");
            assertEquals(first.get(0).getSuffixTokens(), replayed.getSuffixTokens());
            assertEquals(3, replayed.getShard(), "strict mode with Kafka: the partition is the shard");
        }
    }
}
