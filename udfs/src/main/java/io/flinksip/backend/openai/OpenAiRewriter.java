package io.flinksip.backend.openai;

import io.flinksip.backend.JudgeException;
import io.flinksip.backend.Rewriter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The paper's rewriter through an LLM endpoint: X = the last words of the prefix followed by the suffix, C = the
 * prefix, and the answer is primed with those last words so that it joins the prefix; they are removed again from the
 * reply. Chat APIs cannot pre-fill the assistant turn portably, so the priming is an instruction.
 */
public final class OpenAiRewriter implements Rewriter {
    /** The paper primes with the last 5 words of the prefix. */
    public static final int PREFIX_ENDING_WORDS = 5;

    private final ChatCompletionClient client;
    private final PromptTemplate template;

    public OpenAiRewriter(ChatCompletionClient client, PromptTemplate template) {
        this.client = client;
        this.template = template;
    }

    @Override
    public CompletableFuture<Rewritten> rewrite(String prefix, String suffix) {
        String ending = prefixEnding(prefix);
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("continuation", ending + suffix);
        texts.put("context", prefix);
        texts.put("prefix_ending", ending);
        return PromptedCall.run(client, template, texts, 0, reply -> stripEnding(reply, ending))
                .thenApply(j -> new Rewritten(j.verdict(), j.judgeId(), j.latencyMillis()));
    }

    /** The last {@value #PREFIX_ENDING_WORDS} whitespace-separated words of the prefix, with their spacing. */
    static String prefixEnding(String prefix) {
        int words = 0;
        int i = prefix.length();
        while (i > 0) {
            while (i > 0 && Character.isWhitespace(prefix.charAt(i - 1))) {
                i--;
            }
            if (words == PREFIX_ENDING_WORDS) {
                break;
            }
            while (i > 0 && !Character.isWhitespace(prefix.charAt(i - 1))) {
                i--;
            }
            words++;
        }
        return prefix.substring(i).stripLeading();
    }

    static String stripEnding(String reply, String ending) {
        String text = reply;
        String trimmedEnding = ending.strip();
        String lead = text.stripLeading();
        if (!trimmedEnding.isEmpty() && lead.startsWith(trimmedEnding)) {
            text = lead.substring(trimmedEnding.length());
        }
        if (text.isBlank()) {
            throw new JudgeException(JudgeException.Reason.UNPARSABLE_VERDICT, "rewrite is empty", reply, null);
        }
        return text;
    }
}
