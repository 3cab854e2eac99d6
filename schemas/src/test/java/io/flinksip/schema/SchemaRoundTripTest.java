package io.flinksip.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaRoundTripTest {

  static Candidate rollout() {
    return Candidate.newBuilder()
        .setDocId("doc-42")
        .setSampleIndex(3)
        .setKind(CandidateKind.ROLLOUT)
        .setTokens(List.of(11, 12, 13))
        .setText("and then it rained")
        .setPolicyVersion(7L)
        .setSamplingSeed(123456789L)
        .setTokenLogProbs(List.of(-0.5f, -1.25f, -3.0f))
        .build();
  }

  static Candidate rewrite() {
    return Candidate.newBuilder(rollout())
        .setKind(CandidateKind.REWRITE)
        .setTokens(List.of(21, 22))
        .setText("and then it poured")
        .setPolicyVersion(8L)
        .setSamplingSeed(-5L)
        .setTokenLogProbs(List.of(-0.75f))
        .build();
  }

  /** One instance of every record type, every field set to a value other than its default. */
  private static CandidateSet candidateSet() {
    return CandidateSet.newBuilder()
        .setSample(Sample.newBuilder()
            .setDocId("doc-42")
            .setSampleIndex(3)
            .setShard(17)
            .setPrefixTokens(List.of(1, 2, 3, 4))
            .setSuffixTokens(List.of(5, 6))
            .setEventTimeMillis(1_700_000_000_001L)
            .setSplitSeed(-987654321L)
            .setSeq(1234L)
            .setWindow(77L)
            .setRolloutVersion(76L)
            .build())
        .setPrefixText("It was a dark")
        .setCandidates(List.of(rollout(), rewrite()))
        .setPolicyVersion(7L)
        .build();
  }

  static Stream<SpecificRecordBase> instances() {
    return Stream.of(
        Document.newBuilder()
            .setId("doc-42")
            .setText("It was a dark and stormy night.")
            .setSource("topic:web-crawl")
            .setEventTimeMillis(1_700_000_000_000L)
            .setAttributes(Map.of("lang", "en", "license", "cc-by"))
            .build(),
        Sample.newBuilder()
            .setDocId("doc-42")
            .setSampleIndex(3)
            .setShard(17)
            .setPrefixTokens(List.of(1, 2, 3, 4))
            .setSuffixTokens(List.of(5, 6))
            .setEventTimeMillis(1_700_000_000_001L)
            .setSplitSeed(-987654321L)
            .setSeq(1234L)
            .setWindow(77L)
            .setRolloutVersion(76L)
            .build(),
        rollout(),
        Judgement.newBuilder()
            .setDocId("doc-42")
            .setSampleIndex(3)
            .setCandidateIndex(2)
            .setScores(Map.of("quality", 0.75, "safety", 1.0))
            .setRawVerdicts(List.of("quality: 3/4", "safety: ok"))
            .setJudgeId("judge-llm-v2")
            .setLatencyMillis(850L)
            .build(),
        TrainingExample.newBuilder()
            .setDocId("doc-42")
            .setSampleIndex(3)
            .setObjective(Objective.DPO)
            .setPrefixTokens(List.of(1, 2, 3, 4))
            .setChosen(rollout())
            .setRejected(rewrite())
            .setChosenScore(0.9)
            .setRejectedScore(0.1)
            .setPolicyVersion(7L)
            .setJudgeIds(List.of("judge-llm-v2", "judge-rules-v1"))
            .setEventTimeMillis(1_700_000_000_002L)
            .setShard(2)
            .setSeq(1234L)
            .setWindow(77L)
            .build(),
        PolicyUpdate.newBuilder()
            .setStep(100L)
            .setVersion(101L)
            .setObjective(Objective.RF_NLL)
            .setLoss(2.5)
            .setMeanReward(0.6)
            .setRewardStd(0.2)
            .setRolloutChosenRate(0.35)
            .setChosenKindCounts(Map.of("ROLLOUT", 7L, "SUFFIX", 13L))
            .setExamples(20)
            .setTokens(4096L)
            .setDroppedStale(2L)
            .setDeadLettered(1L)
            .setLearningRate(1e-5)
            .setGradNorm(0.8)
            .setWallTimeMillis(1234L)
            .setEventTimeMillis(1_700_000_000_003L)
            .setTrainedSamples(List.of("doc-42#3", "doc-7#0"))
            .setTrainedPositions(List.of("2/1234", "0/1235"))
            .setSkippedPositions(List.of("0/1236-1240"))
            .setMaxStaleness(3L)
            .setOptimizerSteps(99L)
            .setDeadLetteredTotal(Map.of("no_preference", 4L, "stale", 0L))
            .build(),
        candidateSet(),
        JudgedSet.newBuilder()
            .setCandidateSet(candidateSet())
            .setJudgements(List.of(Judgement.newBuilder()
                .setDocId("doc-42")
                .setSampleIndex(3)
                .setCandidateIndex(0)
                .setScores(Map.of("combined", 2.5))
                .setRawVerdicts(List.of("safety 0 #0 SAFE"))
                .setJudgeId("reference")
                .setLatencyMillis(3L)
                .build()))
            .setJudgeCalls(6)
            .setJudgeLatencyMillis(120L)
            .build(),
        WeightFile.newBuilder().setPath("model.pt").setSizeBytes(1L << 33).setSha256("ab".repeat(32))
            .setCrc32c(0xCAFEBABEL).build(),
        WeightManifest.newBuilder()
            .setVersion(101L)
            .setStep(100L)
            .setLineage("run-2025-01-01/chk-9")
            .setParentVersion(100L)
            .setCreatedMillis(1_700_000_000_004L)
            .setFiles(
                List.of(
                    WeightFile.newBuilder().setPath("model.pt").setSizeBytes(10L).setSha256("00".repeat(32)).build(),
                    WeightFile.newBuilder().setPath("extra/opt.pt").setSizeBytes(0L).setSha256("ff".repeat(32))
                        .build()))
            .build(),
        DeadLetter.newBuilder()
            .setStage("judge")
            .setReason("judge_timeout")
            .setDetail("no verdict after 30s")
            .setDocId("doc-42")
            .setSampleIndex(3)
            .setPayload(ByteBuffer.wrap("\u0000\u0001partial".getBytes(StandardCharsets.UTF_8)))
            .setPayloadTruncated(true)
            .setTimeMillis(1_700_000_000_005L)
            .setShard(2)
            .setSeq(1234L)
            .setWindow(77L)
            .build());
  }

  static byte[] serialize(SpecificRecordBase record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<SpecificRecordBase>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  static SpecificRecordBase deserialize(Schema schema, byte[] bytes) throws IOException {
    SpecificDatumReader<SpecificRecordBase> reader = new SpecificDatumReader<>(schema);
    return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("instances")
  void roundTripsThroughSpecificDatumWriterAndReader(SpecificRecordBase record) throws IOException {
    for (Field f : record.getSchema().getFields()) {
      if (f.hasDefaultValue()) {
        assertNotEquals(
            SpecificData.get().getDefaultValue(f), record.get(f.pos()),
            record.getSchema().getName() + "." + f.name() + " should not be its default in this test");
      }
    }
    SpecificRecordBase copy = deserialize(record.getSchema(), serialize(record));
    assertEquals(record.getClass(), copy.getClass());
    assertEquals(record, copy);
  }

  @Test
  void instancesCoverEveryRecordType() {
    Set<String> records =
        SchemaCatalog.all().stream()
            .filter(s -> s.getType() == Schema.Type.RECORD)
            .map(Schema::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> covered =
        instances().map(r -> r.getSchema().getName()).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(records, covered, "add an instance of each new record to instances()");
  }

  @Test
  void builderFillsDefaults() throws IOException {
    Document doc = Document.newBuilder().setId("d").setText("t").setEventTimeMillis(1L).build();
    assertNull(doc.getSource());
    assertEquals(Map.of(), doc.getAttributes());

    Candidate suffix =
        Candidate.newBuilder().setDocId("d").setSampleIndex(0).setKind(CandidateKind.SUFFIX).setText("x").build();
    assertEquals(-1L, suffix.getPolicyVersion());
    assertEquals(0L, suffix.getSamplingSeed());
    assertEquals(List.of(), suffix.getTokens());
    assertEquals(List.of(), suffix.getTokenLogProbs());

    TrainingExample ntp =
        TrainingExample.newBuilder()
            .setDocId("d")
            .setSampleIndex(0)
            .setObjective(Objective.NTP)
            .setChosen(suffix)
            .setChosenScore(1.0)
            .setPolicyVersion(0L)
            .setEventTimeMillis(1L)
            .build();
    assertNull(ntp.getRejected());
    assertNull(ntp.getRejectedScore());
    assertEquals(ntp, deserialize(TrainingExample.getClassSchema(), serialize(ntp)));

    DeadLetter dl = DeadLetter.newBuilder().setStage("segment").setReason("too_long").setTimeMillis(1L).build();
    assertEquals("", dl.getDetail());
    assertNull(dl.getDocId());
    assertNull(dl.getSampleIndex());
    assertNull(dl.getPayload());
    assertTrue(!dl.getPayloadTruncated());
    assertEquals(dl, deserialize(DeadLetter.getClassSchema(), serialize(dl)));
  }
}
