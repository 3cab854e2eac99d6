package io.flinksip.job;

import io.flinksip.job.config.SipOptions;
import io.flinksip.model.LlamaConfig;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.TokenizerJson;
import io.flinksip.weights.HfCheckpoint;
import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Refuses, where the job is built, an initial checkpoint the learner could not train with the job's tokenizer. Without
 * it a mismatch surfaces only on the TaskManager, as an index error in the first step, and burns the restart budget.
 */
final class InitialCheckpointCheck {
    private InitialCheckpointCheck() {
    }

    /** Checks {@link SipOptions#INIT_CHECKPOINT} if set; reads the config and tensor headers, never the weights. */
    static void check(Configuration conf, String tokenizerJson) {
        String dir = conf.getOptional(SipOptions.INIT_CHECKPOINT).orElse(null);
        if (dir == null) {
            return;
        }
        String where = SipOptions.INIT_CHECKPOINT.key() + "=" + dir + ": ";
        LlamaConfig model;
        try {
            model = HfCheckpoint.inspect(Path.of(dir));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
        try (TextTokenizer tokenizer = TokenizerJson.load(tokenizerJson, conf.get(SipOptions.TOKENIZER_BACKEND))) {
            if (tokenizer.vocabSize() > model.vocabSize()) {
                throw new IllegalArgumentException(where + "the tokenizer has " + tokenizer.vocabSize()
                        + " tokens but the model's vocab_size is " + model.vocabSize()
                        + ": is sip.tokenizer.path the checkpoint's own tokenizer.json?");
            }
            if (tokenizer.eosTokenId() != model.eosTokenId()) {
                throw new IllegalArgumentException(where + "the tokenizer's end-of-text id is "
                        + tokenizer.eosTokenId() + " but the model's eos_token_id is " + model.eosTokenId()
                        + ": is sip.tokenizer.path the checkpoint's own tokenizer.json?");
            }
        }
        int longest = conf.get(SipOptions.MAX_PREFIX_TOKENS) + 2 * conf.get(SipOptions.SUFFIX_TOKENS);
        if (longest > model.maxPositionEmbeddings()) {
            throw new IllegalArgumentException(where + "max_position_embeddings is " + model.maxPositionEmbeddings()
                    + " but the job trains sequences of up to " + longest + " tokens ("
                    + SipOptions.MAX_PREFIX_TOKENS.key() + " + 2 x " + SipOptions.SUFFIX_TOKENS.key() + ")");
        }
    }
}
