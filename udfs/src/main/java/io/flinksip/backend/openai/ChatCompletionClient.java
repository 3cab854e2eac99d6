package io.flinksip.backend.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinksip.backend.Failures;
import io.flinksip.backend.JudgeException.Reason;
import io.flinksip.backend.JudgeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * An asynchronous client of the OpenAI chat-completions protocol for one endpoint: a concurrency limit, per-attempt
 * timeouts, and retries with exponential back-off and jitter on timeouts, 408, 429 (honouring Retry-After) and 5xx.
 *
 * <p>Built on the JDK's {@link HttpClient} and Jackson rather than a vendor SDK: both are maintained with the platform,
 * add no transitive dependencies to the Flink job's classpath, and give a non-blocking API that fits Flink's async I/O.
 * The protocol surface we need (one POST, one JSON shape) is small and is tested against a protocol-faithful server.
 *
 * <p>The API key is read once, sent only in the Authorization header, and scrubbed from every string that leaves this
 * class (exception messages, replies, logs), in case a server echoes it.
 */
public final class ChatCompletionClient {
    private static final Logger LOG = LoggerFactory.getLogger(ChatCompletionClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY_CHARS = 500;

    /** A chat message. */
    public record Message(String role, String content) {
        public static Message system(String content) {
            return new Message("system", content);
        }

        public static Message user(String content) {
            return new Message("user", content);
        }
    }

    /**
     * A completion's text.
     *
     * @param content the assistant message content
     * @param finishReason as reported by the server ({@code stop}, {@code length}, ...)
     * @param attempts HTTP attempts used
     * @param latencyMillis from the first attempt's start (after waiting for a concurrency slot) to the reply,
     *     back-off included
     */
    public record Reply(String content, String finishReason, int attempts, long latencyMillis) {
    }

    private final EndpointConfig config;
    private final ClientMetrics metrics;
    private final HttpClient http;
    private final AsyncPermits permits;
    private final String secret;

    public ChatCompletionClient(EndpointConfig config, ClientMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.secret = config.apiKey().resolve();
        this.permits = new AsyncPermits(config.maxConcurrency());
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout());
        if (config.trustStore() != null) {
            builder.sslContext(config.trustStore().sslContext());
        }
        this.http = builder.build();
    }

    public EndpointConfig config() {
        return config;
    }

    public ClientMetrics metrics() {
        return metrics;
    }

    /**
     * Sends one completion request (retrying transport and server failures).
     *
     * @param seedOffset added to the configured seed, so repeats and parse retries sample differently
     */
    public CompletableFuture<Reply> complete(List<Message> messages, long seedOffset) {
        metrics.call();
        byte[] body = requestBody(messages, seedOffset);
        CompletableFuture<Reply> result = new CompletableFuture<>();
        attempt(body, 1, new long[1], result);
        return result;
    }

    private void attempt(byte[] body, int attempt, long[] startNanos, CompletableFuture<Reply> result) {
        metrics.attempt(attempt > 1);
        permits.acquire().thenCompose(ignored -> {
            if (attempt == 1) {
                startNanos[0] = System.nanoTime();
            }
            return send(body);
        }).whenComplete((response, error) -> {
            permits.release();
            Outcome outcome = classify(response, error, attempt);
            if (outcome.reply != null) {
                Reply r = outcome.reply;
                result.complete(new Reply(r.content(), r.finishReason(), r.attempts(),
                        (System.nanoTime() - startNanos[0]) / 1_000_000));
            } else if (outcome.retryAfter != null && attempt < config.retry().maxAttempts()) {
                LOG.debug("{} attempt {} failed ({}); retrying in {} ms", config.id(), attempt,
                        outcome.failure.getMessage(), outcome.retryAfter.toMillis());
                CompletableFuture.delayedExecutor(outcome.retryAfter.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> attempt(body, attempt + 1, startNanos, result));
            } else {
                metrics.failure(outcome.failure.reason());
                LOG.warn("{} call failed after {} attempt(s): {}", config.id(), attempt, outcome.failure.getMessage());
                result.completeExceptionally(outcome.failure);
            }
        });
    }

    private CompletableFuture<HttpResponse<String>> send(byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(config.chatCompletionsUri())
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
            request.header("Authorization", "Bearer " + secret);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** What to do after an attempt: a reply, or a failure that may be retried after a delay. */
    private record Outcome(Reply reply, JudgeException failure, Duration retryAfter) {
    }

    private Outcome classify(HttpResponse<String> response, Throwable error, int attempt) {
        Duration backoff = config.retry().backoff(attempt, ThreadLocalRandom.current().nextDouble());
        if (error != null) {
            Throwable cause = Failures.cause(error);
            if (cause instanceof HttpTimeoutException) {
                return new Outcome(null, failure(Reason.TIMEOUT, "no reply within " + config.requestTimeout(), null,
                        null), backoff);
            }
            if (cause instanceof javax.net.ssl.SSLException) {
                // a certificate the client does not trust will not be trusted on the next attempt either
                return new Outcome(null, failure(Reason.IO_ERROR, "TLS with " + config.baseUrl() + " failed ("
                        + cause.getMessage() + "): is the server's CA in " + (config.trustStore() == null
                        ? "the JVM's default trust store? Set sip.llm.truststore.path"
                        : "the trust store " + config.trustStore().path() + "?"), null, null), null);
            }
            if (cause instanceof ConnectException || cause instanceof IOException) {
                return new Outcome(null, failure(Reason.IO_ERROR, cause.getClass().getSimpleName() + ": "
                        + cause.getMessage(), null, null), backoff);
            }
            return new Outcome(null, failure(Reason.IO_ERROR, String.valueOf(cause), null, null), null);
        }
        int status = response.statusCode();
        String text = response.body();
        if (status == 200) {
            try {
                return new Outcome(parseReply(text, attempt), null, null);
            } catch (JudgeException e) {
                return new Outcome(null, e, backoff); // a cut-off body is often transient (proxy, restart)
            }
        }
        String detail = "HTTP " + status + ": " + truncate(scrub(text));
        if (status == 429) {
            metrics.rateLimitedReply();
            Duration retryAfter = retryAfter(response).orElse(backoff);
            return new Outcome(null, failure(Reason.UNAVAILABLE, detail, null, null),
                    retryAfter.compareTo(config.retry().maxBackoff()) > 0 ? config.retry().maxBackoff() : retryAfter);
        }
        if (status >= 500 || status == 408) {
            return new Outcome(null, failure(status == 408 ? Reason.TIMEOUT : Reason.UNAVAILABLE, detail, null, null),
                    backoff);
        }
        return new Outcome(null, failure(Reason.REJECTED, detail, null, null), null);
    }

    private Reply parseReply(String body, int attempt) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw failure(Reason.MALFORMED_RESPONSE, "reply is not valid JSON", body, null);
        }
        JsonNode choice = root == null ? null : root.path("choices").path(0);
        JsonNode content = choice == null ? null : choice.path("message").path("content");
        if (content == null || !content.isTextual()) {
            throw failure(Reason.MALFORMED_RESPONSE, "reply has no choices[0].message.content string", body, null);
        }
        return new Reply(scrub(content.asText()), choice.path("finish_reason").asText(""), attempt, 0);
    }

    private static java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return java.util.Optional.of(Duration.ofMillis((long) (Double.parseDouble(v.trim()) * 1000)));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                    return java.util.Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (RuntimeException unparsable) {
                    return java.util.Optional.empty();
                }
            }
        });
    }

    private byte[] requestBody(List<Message> messages, long seedOffset) {
        ObjectNode req = JSON.createObjectNode();
        req.put("model", config.model());
        var array = req.putArray("messages");
        for (Message m : messages) {
            array.addObject().put("role", m.role()).put("content", m.content());
        }
        req.put("temperature", config.temperature());
        req.put("top_p", config.topP());
        req.put("max_tokens", config.maxTokens());
        if (config.seed() != null) {
            req.put("seed", config.seed() + seedOffset);
        }
        req.put("stream", false);
        try {
            return JSON.writeValueAsBytes(req);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JudgeException failure(Reason reason, String message, String rawReply, Throwable cause) {
        return new JudgeException(reason, scrub(config.id() + ": " + message),
                rawReply == null ? null : truncate(scrub(rawReply)), cause);
    }

    /** Removes the API key from any text that could leave this class. */
    String scrub(String text) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, "[REDACTED]");
    }

    private static String truncate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_ERROR_BODY_CHARS ? text : text.substring(0, MAX_ERROR_BODY_CHARS) + "...";
    }
}
