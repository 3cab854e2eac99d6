package io.flinksip.backend.openai;

import io.flinksip.backend.Failures;
import io.flinksip.backend.JudgeException;
import io.flinksip.backend.Judged;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Renders a template, calls the endpoint and parses the verdict; a reply without a parsable verdict is counted and
 * asked again with the next seed, up to {@code parseRetries} times, then fails with the last reply attached.
 */
final class PromptedCall {
    /** Seed offsets of repeats are spaced so that parse retries of one repeat never reuse another repeat's seed. */
    private static final long SEEDS_PER_SAMPLE = 1_000;

    private PromptedCall() {
    }

    static <T> CompletableFuture<Judged<T>> run(ChatCompletionClient client, PromptTemplate template,
                                                Map<String, String> texts, int sample, Function<String, T> parser) {
        List<ChatCompletionClient.Message> messages = template.render(texts);
        CompletableFuture<Judged<T>> result = new CompletableFuture<>();
        attempt(client, messages, sample, parser, 0, 0, 0, result);
        return result;
    }

    private static <T> void attempt(ChatCompletionClient client, List<ChatCompletionClient.Message> messages,
                                    int sample, Function<String, T> parser, int parseRetry, int httpAttempts,
                                    long latencySoFar, CompletableFuture<Judged<T>> result) {
        long seedOffset = sample * SEEDS_PER_SAMPLE + parseRetry;
        client.complete(messages, seedOffset).whenComplete((reply, error) -> {
            if (error != null) {
                result.completeExceptionally(Failures.cause(error));
                return;
            }
            int attempts = httpAttempts + reply.attempts();
            long latency = latencySoFar + reply.latencyMillis();
            try {
                T verdict = parser.apply(reply.content());
                client.metrics().success(latency);
                result.complete(new Judged<>(verdict, reply.content(), client.config().id(), latency, attempts));
            } catch (JudgeException e) {
                client.metrics().parseFailure();
                if (parseRetry < client.config().parseRetries()) {
                    attempt(client, messages, sample, parser, parseRetry + 1, attempts, latency, result);
                } else {
                    client.metrics().failure(e.reason());
                    result.completeExceptionally(e);
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }
}
