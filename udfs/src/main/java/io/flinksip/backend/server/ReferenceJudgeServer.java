package io.flinksip.backend.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flinksip.backend.FactualityVerdict;
import io.flinksip.backend.JudgeBackends;
import io.flinksip.backend.Judged;
import io.flinksip.backend.PairwiseVerdict;
import io.flinksip.backend.SafetyVerdict;
import io.flinksip.backend.openai.PromptTemplate;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local HTTP server speaking the OpenAI chat-completions protocol, answering flink-sip's judge and rewriter prompts
 * with the built-in reference judges. It lets the HTTP backend be exercised end to end with meaningful verdicts, and
 * injects latency and faults ({@link FaultPlan}) for testing and benchmarking. It binds to loopback only.
 *
 * <p>It understands prompts rendered from flink-sip's templates (it reads their delimited text blocks and infers the
 * task from which blocks are present): PREFIX+FIRST+SECOND is quality, TEXT is safety, PREFIX+REFERENCE+CANDIDATE is
 * factuality, CONTINUATION+CONTEXT+PREFIX_ENDING is rewriting. Other prompts get HTTP 400.
 */
public final class ReferenceJudgeServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService workers;
    private final JudgeBackends backends;
    private final FaultPlan faults;
    private final String requiredApiKey;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong completionIds = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param port 0 for any free port
     * @param requiredApiKey when non-null, requests must carry {@code Authorization: Bearer <key>} (else 401)
     */
    public ReferenceJudgeServer(int port, JudgeBackends backends, FaultPlan faults, String requiredApiKey)
            throws IOException {
        this(port, backends, faults, requiredApiKey, null);
    }

    /**
     * @param tls when non-null, serve HTTPS with this context (its key manager holds the server's certificate)
     */
    public ReferenceJudgeServer(int port, JudgeBackends backends, FaultPlan faults, String requiredApiKey,
                                javax.net.ssl.SSLContext tls) throws IOException {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and the client's
        // delayed ACK add ~40 ms to every reply. Read once, when the server's configuration class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        this.backends = backends;
        this.faults = faults;
        this.requiredApiKey = requiredApiKey;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (tls == null) {
            this.server = HttpServer.create(address, 512);
        } else {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(address, 512);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            this.server = https;
        }
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "reference-judge-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/v1/chat/completions", this::chatCompletions);
        server.createContext("/v1/models", this::models);
        server.start();
    }

    /** Base URL for {@link io.flinksip.backend.openai.EndpointConfig}, e.g. {@code http://127.0.0.1:41234/v1}. */
    public URI baseUrl() {
        String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
        return URI.create(scheme + "://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + "/v1");
    }

    public long requests() {
        return requests.get();
    }

    /** The most chat-completion requests this server has had open at once. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    private void models(HttpExchange exchange) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        body.putArray("data").addObject().put("id", "flink-sip-reference").put("object", "model")
                .put("owned_by", "flink-sip");
        send(exchange, 200, body.toString(), Map.of());
    }

    private void chatCompletions(HttpExchange exchange) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try (exchange) {
            Reply reply;
            try {
                reply = chatCompletion(exchange);
            } catch (RuntimeException e) {
                reply = Reply.error(500, e.toString());
            } finally {
                // Leave before the reply is written: a client that has read it may send its next request at once,
                // and that request must not find this one still counted.
                inFlight.decrementAndGet();
            }
            send(exchange, reply.status(), reply.body(), reply.headers());
        }
    }

    private record Reply(int status, String body, Map<String, String> headers) {
        static Reply error(int status, String message) {
            return new Reply(status, ReferenceJudgeServer.error(message,
                    status >= 500 ? "server_error" : "invalid_request_error"), Map.of());
        }
    }

    private Reply chatCompletion(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        if (!exchange.getRequestMethod().equals("POST")) {
            return Reply.error(405, "method not allowed");
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        Fault fault = faults.next();
        sleep(faults.latency().toMillis());
        if (fault == Fault.ECHO_CREDENTIALS) {
            return Reply.error(401, "invalid credentials: " + auth);
        }
        if (requiredApiKey != null && !("Bearer " + requiredApiKey).equals(auth)) {
            return Reply.error(401, "invalid or missing API key");
        }
        JsonNode request;
        try {
            request = JSON.readTree(exchange.getRequestBody());
        } catch (IOException e) {
            return Reply.error(400, "request body is not JSON");
        }
        switch (fault) {
            case SERVER_ERROR -> {
                return Reply.error(500, "injected internal error");
            }
            case RATE_LIMITED -> {
                return new Reply(429, error("rate limited", "rate_limit_exceeded"),
                        Map.of("Retry-After", String.valueOf(faults.retryAfterSeconds())));
            }
            case HANG -> {
                sleep(faults.hang().toMillis());
                return Reply.error(504, "hung");
            }
            default -> {
            }
        }
        String content;
        try {
            content = answer(request, fault == Fault.WRONG_FORMAT);
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        String body = completion(request.path("model").asText("flink-sip-reference"), content);
        if (fault == Fault.TRUNCATED_JSON) {
            body = body.substring(0, body.length() / 2);
        }
        return new Reply(200, body, Map.of());
    }

    private String answer(JsonNode request, boolean wrongFormat) {
        StringBuilder prompt = new StringBuilder();
        for (JsonNode m : request.path("messages")) {
            prompt.append(m.path("content").asText()).append('\n');
        }
        Map<String, String> blocks = PromptTemplate.extractBlocks(prompt.toString());
        String reply;
        if (blocks.keySet().containsAll(java.util.List.of("PREFIX", "FIRST", "SECOND"))) {
            Judged<PairwiseVerdict> j = backends.quality().compare(blocks.get("PREFIX"), blocks.get("FIRST"),
                    blocks.get("SECOND")).join();
            reply = j.rawReply() + "\nConclusion: Option " + (j.verdict() == PairwiseVerdict.FIRST ? 1 : 2);
            if (wrongFormat) {
                reply = j.rawReply() + "\nI prefer the " + (j.verdict() == PairwiseVerdict.FIRST ? "first" : "second")
                        + " one.";
            }
        } else if (blocks.containsKey("TEXT")) {
            Judged<SafetyVerdict> j = backends.safety().assess(blocks.get("TEXT")).join();
            reply = j.rawReply() + "\nFINAL DECISION: " + (j.verdict() == SafetyVerdict.SAFE ? "YES" : "NO");
            if (wrongFormat) {
                reply = "FINAL DECISION: maybe";
            }
        } else if (blocks.keySet().containsAll(java.util.List.of("PREFIX", "REFERENCE", "CANDIDATE"))) {
            Judged<FactualityVerdict> j = backends.factuality().assess(blocks.get("PREFIX"), blocks.get("CANDIDATE"),
                    blocks.get("REFERENCE")).join();
            ObjectNode verdict = JSON.createObjectNode().put("reasoning", j.rawReply()).put("label", label(j.verdict()));
            reply = wrongFormat ? "The continuation looks " + label(j.verdict()).toLowerCase() + " to me."
                    : verdict.toString();
        } else if (blocks.keySet().containsAll(java.util.List.of("CONTINUATION", "CONTEXT", "PREFIX_ENDING"))) {
            String ending = blocks.get("PREFIX_ENDING");
            String x = blocks.get("CONTINUATION");
            String suffix = x.startsWith(ending) ? x.substring(ending.length()) : x;
            String rewritten = backends.rewriter().rewrite(blocks.get("CONTEXT"), suffix).join().text();
            reply = wrongFormat ? "" : ending + rewritten;
        } else {
            throw new IllegalArgumentException("unrecognised prompt: expected flink-sip's delimited text blocks");
        }
        return reply;
    }

    private static String label(FactualityVerdict v) {
        return switch (v) {
            case NO_HALLUCINATION -> "No Hallucination";
            case POSSIBLE_HALLUCINATION -> "Possible Hallucination";
            case DEFINITE_HALLUCINATION -> "Definite Hallucination";
        };
    }

    private String completion(String model, String content) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-ref-" + completionIds.incrementAndGet());
        body.put("object", "chat.completion");
        body.put("created", System.currentTimeMillis() / 1000);
        body.put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.put("finish_reason", "stop");
        body.putObject("usage").put("prompt_tokens", 0).put("completion_tokens", 0).put("total_tokens", 0);
        return body.toString();
    }

    private static String error(String message, String type) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", type);
        return body.toString();
    }

    private static void send(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
