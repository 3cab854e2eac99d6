package io.flinksip.job.config;

import io.flinksip.backend.openai.ApiKey;
import io.flinksip.backend.openai.EndpointConfig;
import io.flinksip.backend.openai.RetryPolicy;
import io.flinksip.backend.openai.TrustStore;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Options of one OpenAI-compatible endpoint role ({@code sip.llm.<role>.*}). Each role's option falls back to the
 * shared {@code sip.llm.*} key, so one server can serve every role with a single block of settings while a role can
 * still point elsewhere (e.g. a small rewriter next to a large judge).
 */
public final class LlmRoleOptions {
    public static final LlmRoleOptions QUALITY = new LlmRoleOptions("quality");
    public static final LlmRoleOptions SAFETY = new LlmRoleOptions("safety");
    public static final LlmRoleOptions FACTUALITY = new LlmRoleOptions("factuality");
    public static final LlmRoleOptions REWRITER = new LlmRoleOptions("rewriter");

    public static List<LlmRoleOptions> all() {
        return List.of(QUALITY, SAFETY, FACTUALITY, REWRITER);
    }

    public final String role;
    public final ConfigOption<String> baseUrl;
    public final ConfigOption<String> model;
    public final ConfigOption<String> apiKey;
    public final ConfigOption<Double> temperature;
    public final ConfigOption<Double> topP;
    public final ConfigOption<Integer> maxTokens;
    public final ConfigOption<Long> seed;
    public final ConfigOption<Duration> timeout;
    public final ConfigOption<Integer> maxConcurrency;
    public final ConfigOption<Integer> maxAttempts;
    public final ConfigOption<String> truststorePath;
    public final ConfigOption<String> truststoreType;
    public final ConfigOption<String> truststorePassword;

    private LlmRoleOptions(String role) {
        this.role = role;
        String p = "sip.llm." + role + ".";
        baseUrl = ConfigOptions.key(p + "base-url").stringType().noDefaultValue()
                .withFallbackKeys("sip.llm.base-url")
                .withDescription("Base URL of the OpenAI-compatible server for the " + role + " role, e.g. "
                        + "http://vllm:8000/v1.");
        model = ConfigOptions.key(p + "model").stringType().noDefaultValue().withFallbackKeys("sip.llm.model")
                .withDescription("Served model name for the " + role + " role.");
        apiKey = ConfigOptions.key(p + "api-key").stringType().defaultValue("none")
                .withFallbackKeys("sip.llm.api-key")
                .withDescription("Where the API key comes from: env:VARIABLE, file:/path or none. Never the key "
                        + "itself.");
        temperature = ConfigOptions.key(p + "temperature").doubleType().defaultValue(1.0)
                .withFallbackKeys("sip.llm.temperature").withDescription("Sampling temperature (the paper's "
                        + "judges: 1.0).");
        topP = ConfigOptions.key(p + "top-p").doubleType().defaultValue(1.0).withFallbackKeys("sip.llm.top-p")
                .withDescription("Nucleus mass.");
        maxTokens = ConfigOptions.key(p + "max-tokens").intType().defaultValue(512)
                .withFallbackKeys("sip.llm.max-tokens").withDescription("Completion length limit.");
        seed = ConfigOptions.key(p + "seed").longType().defaultValue(0L).withFallbackKeys("sip.llm.seed")
                .withDescription("Base sampling seed; repeat i sends seed + 1000 i.");
        timeout = ConfigOptions.key(p + "timeout").durationType().defaultValue(Duration.ofSeconds(60))
                .withFallbackKeys("sip.llm.timeout").withDescription("Per-attempt request timeout.");
        maxConcurrency = ConfigOptions.key(p + "max-concurrency").intType().defaultValue(16)
                .withFallbackKeys("sip.llm.max-concurrency")
                .withDescription("Requests in flight to this endpoint per subtask.");
        maxAttempts = ConfigOptions.key(p + "max-attempts").intType().defaultValue(4)
                .withFallbackKeys("sip.llm.max-attempts")
                .withDescription("Attempts per request (timeouts, 429 and 5xx are retried with back-off).");
        truststorePath = ConfigOptions.key(p + "truststore.path").stringType().noDefaultValue()
                .withFallbackKeys("sip.llm.truststore.path")
                .withDescription("PKCS12 or JKS trust store with the CA of an HTTPS endpoint behind a private CA. "
                        + "Unset: the JVM's default CAs.");
        truststoreType = ConfigOptions.key(p + "truststore.type").stringType().defaultValue("PKCS12")
                .withFallbackKeys("sip.llm.truststore.type").withDescription("PKCS12 or JKS.");
        truststorePassword = ConfigOptions.key(p + "truststore.password").stringType().defaultValue("none")
                .withFallbackKeys("sip.llm.truststore.password")
                .withDescription("Where the trust store's password comes from: env:VARIABLE, file:/path or none.");
    }

    public List<ConfigOption<?>> options() {
        return List.of(baseUrl, model, apiKey, temperature, topP, maxTokens, seed, timeout, maxConcurrency,
                maxAttempts, truststorePath, truststoreType, truststorePassword);
    }

    /** The role's endpoint, or null when no base URL is configured for it. */
    public EndpointConfig endpoint(Configuration conf) {
        if (conf.getOptional(baseUrl).isEmpty()) {
            return null;
        }
        String modelName = conf.getOptional(model).orElseThrow(() -> new IllegalArgumentException(
                model.key() + " (or sip.llm.model) must be set when " + baseUrl.key() + " is"));
        RetryPolicy retry = new RetryPolicy(conf.get(maxAttempts), Duration.ofMillis(500), Duration.ofSeconds(30), 2.0,
                0.2);
        return EndpointConfig.of(URI.create(conf.get(baseUrl)), modelName)
                .withApiKey(ApiKey.parse(conf.get(apiKey)))
                .withSampling(conf.get(temperature), conf.get(topP), conf.get(maxTokens), conf.get(seed))
                .withLimits(conf.get(timeout), conf.get(maxConcurrency), retry, 2)
                .withTrustStore(conf.getOptional(truststorePath).map(path -> new TrustStore(path,
                        conf.get(truststoreType), ApiKey.parse(conf.get(truststorePassword)))).orElse(null));
    }
}
