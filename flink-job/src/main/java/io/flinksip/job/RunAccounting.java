package io.flinksip.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where every input went, from the job's committed outputs: each input line is blank, a document dead-lettered as a
 * whole (segment stage), or a document whose samples were each trained or dead-lettered. Samples are identified by
 * their position (shard and sequence number), which the trained steps and the later dead letters both name, so a
 * sample trained twice, or missing, shows.
 *
 * @param lines input lines, or -1 when they could not be counted (Kafka input, an unreadable compression)
 * @param blank blank lines among them, or -1
 * @param rejectedDocuments documents dead-lettered before they were cut into samples
 * @param documents documents cut into samples that are accounted for (each has exactly one sample with index 0)
 * @param trained samples trained on
 * @param deadLetteredSamples samples dead-lettered after they were sequenced
 * @param deadLetters every dead letter by reason (both kinds), stale always present
 * @param duplicates positions accounted for more than once (a sample trained twice would show here)
 * @param gaps positions below a shard's highest that are not accounted for
 * @param steps policy updates
 */
public record RunAccounting(long lines, long blank, long rejectedDocuments, long documents, long trained,
                            long deadLetteredSamples, Map<String, Long> deadLetters, long duplicates, long gaps,
                            long steps) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static RunAccounting of(InputCensus census, Path outputDir) throws IOException {
        List<JsonNode> updates = JsonLinesDir.read(outputDir.resolve("policy-updates"));
        List<JsonNode> letters = JsonLinesDir.read(outputDir.resolve("dead-letters"));
        Positions seen = new Positions();
        long duplicates = 0;
        long documents = 0;
        long trained = 0;
        for (JsonNode u : updates) {
            for (JsonNode range : u.path("skippedPositions")) { // latest mode closed the window early: never filled
                String r = range.asText();
                String shard = r.substring(0, r.indexOf('/'));
                String[] bounds = r.substring(r.indexOf('/') + 1).split("-");
                for (long seq = Long.parseLong(bounds[0]); seq < Long.parseLong(bounds[1]); seq++) {
                    seen.add(shard + "/" + seq);
                }
            }
            JsonNode samples = u.path("trainedSamples");
            JsonNode positions = u.path("trainedPositions");
            for (int i = 0; i < samples.size(); i++) {
                trained++;
                if (samples.get(i).asText().endsWith("#0")) {
                    documents++;
                }
                if (i < positions.size() && !seen.add(positions.get(i).asText())) {
                    duplicates++;
                }
            }
        }
        Map<String, Long> reasons = new TreeMap<>();
        reasons.put("stale", 0L);
        long rejected = 0;
        long deadSamples = 0;
        for (JsonNode d : letters) {
            reasons.merge(d.path("reason").asText(), 1L, Long::sum);
            JsonNode seq = unwrap(d.path("seq"));
            if (seq.isMissingNode() || seq.isNull()) {
                rejected++;
                continue;
            }
            deadSamples++;
            if (unwrap(d.path("sampleIndex")).asInt(-1) == 0) {
                documents++;
            }
            if (!seen.add(unwrap(d.path("shard")).asInt() + "/" + seq.asLong())) {
                duplicates++;
            }
        }
        return new RunAccounting(census == null ? -1 : census.lines(), census == null ? -1 : census.blank(), rejected,
                documents, trained, deadSamples, reasons, duplicates, seen.gaps(), updates.size());
    }

    /** Sample positions ("shard/seq") seen so far, per shard with its highest sequence number. */
    private static final class Positions {
        private final Set<String> seen = new HashSet<>();
        private final Map<String, long[]> shards = new HashMap<>(); // shard -> {highest seq, positions}

        /** Records a position; false when it was already there. */
        boolean add(String position) {
            if (!seen.add(position)) {
                return false;
            }
            int slash = position.indexOf('/');
            long[] s = shards.computeIfAbsent(position.substring(0, slash), k -> new long[] {-1, 0});
            s[0] = Math.max(s[0], Long.parseLong(position.substring(slash + 1)));
            s[1]++;
            return true;
        }

        long gaps() {
            return shards.values().stream().mapToLong(s -> s[0] + 1 - s[1]).sum();
        }
    }

    /** Avro's JSON rendering of a union is the bare value here, but tolerate {"long": n} as well. */
    private static JsonNode unwrap(JsonNode n) {
        if (n.isObject() && n.size() == 1) {
            return n.elements().next();
        }
        return n;
    }

    public long deadLettered() {
        return rejectedDocuments + deadLetteredSamples;
    }

    /** Input lines not yet accounted for: held in flight (a stopped job's savepoint), or lost when the job finished. */
    public long unaccounted() {
        return lines < 0 ? 0 : lines - blank - rejectedDocuments - documents;
    }

    /** Whether every input of a finished job is accounted for exactly once. */
    public boolean holdsForFinishedRun() {
        return unaccounted() == 0 && duplicates == 0 && gaps == 0;
    }

    /** The summary's lines, ready to print. */
    public List<String> describe(boolean finished) {
        String reasons = String.join(", ", deadLetters.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList());
        String samples = trained + deadLetteredSamples == documents ? ""
                : String.format(" (as %,d samples: %,d trained + %,d dead-lettered)", trained + deadLetteredSamples,
                        trained, deadLetteredSamples);
        String head;
        if (lines < 0) {
            head = String.format("%,d trained + %,d dead-lettered (input lines not counted here)", trained,
                    deadLettered());
        } else if (samples.isEmpty()) {
            head = String.format("in %,d = trained %,d + dead-lettered %,d + blank %,d", lines, trained,
                    deadLettered(), blank);
        } else {
            head = String.format("in %,d = %,d documents%s + dead-lettered %,d + blank %,d", lines, documents,
                    samples, rejectedDocuments, blank);
        }
        String verdict;
        if (duplicates > 0) {
            verdict = String.format("ERROR: %,d samples accounted for more than once", duplicates);
        } else if (finished && (unaccounted() != 0 || gaps != 0)) {
            verdict = String.format("ERROR: %,d inputs and %,d sample positions not accounted for", unaccounted(),
                    gaps);
        } else if (unaccounted() != 0) {
            verdict = String.format("%,d in flight, held in the savepoint: resume to finish them", unaccounted());
        } else {
            verdict = "every input accounted for";
        }
        return List.of(head + (unaccounted() != 0 && !finished ? String.format(" + in flight %,d", unaccounted())
                : ""), "dead letters by reason: " + reasons, verdict);
    }

    public ObjectNode toJson(String status) {
        ObjectNode n = JSON.createObjectNode();
        n.put("status", status);
        n.put("inputLines", lines).put("blank", blank).put("documents", documents)
                .put("rejectedDocuments", rejectedDocuments).put("trained", trained)
                .put("deadLetteredSamples", deadLetteredSamples).put("deadLettered", deadLettered())
                .put("unaccounted", unaccounted()).put("duplicates", duplicates).put("gaps", gaps)
                .put("steps", steps);
        ObjectNode byReason = n.putObject("deadLettersByReason");
        deadLetters.forEach(byReason::put);
        return n;
    }
}
