package io.flinksip.backend.openai;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;

/**
 * One OpenAI-compatible chat-completions endpoint (vLLM, SGLang, TensorRT-LLM's server, TGI, Ollama, or a hosted API)
 * and the sampling settings used for one role (a judge criterion or the rewriter).
 *
 * @param baseUrl e.g. {@code http://vllm:8000/v1}; {@code /chat/completions} is appended
 * @param model the served model name
 * @param apiKey where the key comes from; never the key itself
 * @param temperature sampling temperature sent with each request
 * @param topP nucleus mass sent with each request
 * @param maxTokens completion length limit
 * @param seed base sampling seed; repeat i of a judgement sends {@code seed + i}; null sends none
 * @param requestTimeout per attempt
 * @param maxConcurrency most requests in flight to this endpoint from one client
 * @param retry back-off policy
 * @param parseRetries extra attempts (with the next seed) when a reply has no parsable verdict
 */
public record EndpointConfig(
        URI baseUrl,
        String model,
        ApiKey apiKey,
        double temperature,
        double topP,
        int maxTokens,
        Long seed,
        Duration requestTimeout,
        int maxConcurrency,
        RetryPolicy retry,
        int parseRetries,
        TrustStore trustStore) implements Serializable {

    public EndpointConfig {
        if (baseUrl == null || !(baseUrl.getScheme() != null
                && (baseUrl.getScheme().equals("http") || baseUrl.getScheme().equals("https")))) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL, got " + baseUrl);
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must be set");
        }
        if (temperature < 0 || !(topP > 0 && topP <= 1) || maxTokens < 1) {
            throw new IllegalArgumentException("need temperature >= 0, 0 < topP <= 1, maxTokens >= 1");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || maxConcurrency < 1 || parseRetries < 0) {
            throw new IllegalArgumentException("need a positive timeout, maxConcurrency >= 1, parseRetries >= 0");
        }
    }

    /** Defaults of the paper's judges (T = 1, top-p = 1), 512 completion tokens, 60 s timeout, 16 in flight. */
    public static EndpointConfig of(URI baseUrl, String model) {
        return new EndpointConfig(baseUrl, model, ApiKey.none(), 1.0, 1.0, 512, 0L, Duration.ofSeconds(60), 16,
                RetryPolicy.defaults(), 2, null);
    }

    public EndpointConfig withApiKey(ApiKey key) {
        return new EndpointConfig(baseUrl, model, key, temperature, topP, maxTokens, seed, requestTimeout,
                maxConcurrency, retry, parseRetries, trustStore);
    }

    public EndpointConfig withSampling(double newTemperature, double newTopP, int newMaxTokens, Long newSeed) {
        return new EndpointConfig(baseUrl, model, apiKey, newTemperature, newTopP, newMaxTokens, newSeed,
                requestTimeout, maxConcurrency, retry, parseRetries, trustStore);
    }

    public EndpointConfig withLimits(Duration timeout, int concurrency, RetryPolicy newRetry, int newParseRetries) {
        return new EndpointConfig(baseUrl, model, apiKey, temperature, topP, maxTokens, seed, timeout, concurrency,
                newRetry, newParseRetries, trustStore);
    }

    /** Checks the server's certificate against {@code store} instead of the JVM's default CAs (null: the defaults). */
    public EndpointConfig withTrustStore(TrustStore store) {
        return new EndpointConfig(baseUrl, model, apiKey, temperature, topP, maxTokens, seed, requestTimeout,
                maxConcurrency, retry, parseRetries, store);
    }

    URI chatCompletionsUri() {
        String s = baseUrl.toString();
        return URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + "/chat/completions");
    }

    /** Identifies the backend in provenance records and metrics. */
    public String id() {
        return "openai:" + model + "@" + baseUrl.getHost() + (baseUrl.getPort() > 0 ? ":" + baseUrl.getPort() : "");
    }
}
