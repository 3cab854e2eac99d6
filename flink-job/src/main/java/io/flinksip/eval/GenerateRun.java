package io.flinksip.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinksip.model.Continuation;
import io.flinksip.model.ContinuationSampler;
import io.flinksip.model.DeterministicRng;
import io.flinksip.model.LlamaModel;
import io.flinksip.model.SamplingConfig;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenizerBackend;
import io.flinksip.tokenizer.Tokenizers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The {@code generate} command: continuations of prompts from an exported checkpoint or a weight-store version, so a
 * user who pretrains can read what the model writes. One prompt prints its continuation; a file of prompts prints one
 * JSON line per prompt ({@code {"prompt": ..., "continuation": ...}}).
 */
public final class GenerateRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MICRO_BATCH = 16;

    /**
     * @param model exported checkpoint directory or weight-store version directory ({@code weights/<ns>/v-NNN})
     * @param tokenizer the model's tokenizer.json
     * @param prompt one prompt, or null when {@code input} is given
     * @param input a file of prompts (plain or .gz): one per line, a JSON object's "prompt" or "text" field or the
     *     line itself; blank lines are skipped
     * @param sampling decoding: greedy (temperature 0) or sampled
     * @param seed seeds sampled decoding, per prompt
     */
    public record Request(Path model, Path tokenizer, String prompt, Path input, SamplingConfig sampling, long seed) {
        public Request {
            if ((prompt == null) == (input == null)) {
                throw new IllegalArgumentException("give either a prompt or an input file of prompts, not both");
            }
        }
    }

    private final PrintStream out;

    public GenerateRun(PrintStream out) {
        this.out = out;
    }

    /** Generates and prints; returns the continuations in prompt order. */
    public List<String> run(Request r) throws IOException {
        if (!Files.isRegularFile(r.tokenizer())) {
            throw new IOException("no tokenizer at " + r.tokenizer() + " (a weight-store version needs --tokenizer)");
        }
        TextTokenizer tokenizer = Tokenizers.load(r.tokenizer(), TokenizerBackend.AUTO);
        List<String> prompts = r.prompt() != null ? List.of(r.prompt()) : readPrompts(r.input());
        try (LlamaModel model = PolicyLoader.load(r.model())) {
            if (tokenizer.vocabSize() > model.config().vocabSize()) {
                throw new IOException("the tokenizer has " + tokenizer.vocabSize() + " tokens, the model "
                        + model.config().vocabSize() + ": not this model's tokenizer");
            }
            int room = model.config().maxPositionEmbeddings() - r.sampling().maxNewTokens();
            if (room < 1) {
                throw new IllegalArgumentException("--max-tokens " + r.sampling().maxNewTokens() + " leaves no room "
                        + "for a prompt in the model's " + model.config().maxPositionEmbeddings() + " positions");
            }
            ContinuationSampler sampler = new ContinuationSampler(model);
            List<String> continuations = new ArrayList<>(prompts.size());
            for (int from = 0; from < prompts.size(); from += MICRO_BATCH) {
                int to = Math.min(prompts.size(), from + MICRO_BATCH);
                List<int[]> batch = new ArrayList<>();
                long[][] seeds = new long[to - from][1];
                for (int i = from; i < to; i++) {
                    batch.add(promptTokens(tokenizer, prompts.get(i), room));
                    seeds[i - from][0] = DeterministicRng.mix(r.seed(), i);
                }
                List<List<Continuation>> sampled = sampler.sample(batch, seeds, r.sampling());
                for (int i = from; i < to; i++) {
                    String text = decode(tokenizer, sampled.get(i - from).get(0));
                    continuations.add(text);
                    if (r.prompt() != null) {
                        out.println(text);
                    } else {
                        out.println(JSON.createObjectNode().put("prompt", prompts.get(i)).put("continuation", text));
                    }
                }
            }
            return continuations;
        }
    }

    /** The prompt's tokens, keeping its end when it is longer than the model leaves room for. */
    private static int[] promptTokens(TextTokenizer tokenizer, String prompt, int room) {
        int[] ids = tokenizer.encode(prompt);
        if (ids.length == 0) {
            // An empty prompt starts from the end-of-text token, as a document boundary.
            return new int[] {tokenizer.eosTokenId()};
        }
        return ids.length <= room ? ids : Arrays.copyOfRange(ids, ids.length - room, ids.length);
    }

    private static String decode(TextTokenizer tokenizer, Continuation c) {
        int[] tokens = c.tokens();
        int n = c.endedWithEos() ? tokens.length - 1 : tokens.length;
        return tokenizer.decode(Arrays.copyOf(tokens, n));
    }

    static List<String> readPrompts(Path input) throws IOException {
        List<String> prompts = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(input);
             InputStream in = input.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                if (line.stripLeading().startsWith("{")) {
                    JsonNode n;
                    try {
                        n = JSON.readTree(line);
                    } catch (IOException e) {
                        throw new IOException(input + " line " + number + " is not valid JSON: " + e.getMessage());
                    }
                    JsonNode text = n.has("prompt") ? n.get("prompt") : n.get("text");
                    if (text == null || !text.isTextual()) {
                        throw new IOException(input + " line " + number + " has no string field \"prompt\" or "
                                + "\"text\"");
                    }
                    prompts.add(text.asText());
                } else {
                    prompts.add(line);
                }
            }
        }
        if (prompts.isEmpty()) {
            throw new IOException(input + " holds no prompts");
        }
        return prompts;
    }
}
