package io.flinksip.job;

import io.flinksip.backend.JudgeBackendFactory;
import io.flinksip.backend.ReferenceBackendFactory;
import io.flinksip.backend.openai.OpenAiBackendFactory;
import io.flinksip.job.config.LlmRoleOptions;
import io.flinksip.job.config.SipOptions;
import io.flinksip.job.kafka.KafkaOptions;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code submit} command: builds the job from the {@code sip.*} options (the cluster's configuration plus
 * {@code -D} arguments) and runs it in the environment the Flink client provides (a session cluster through
 * {@code flink run}, an application cluster such as the Kubernetes operator's). Unlike {@code run}, it generates
 * nothing: the input (files or Kafka), the tokenizer and the weight store must be configured.
 */
public final class ClusterSubmission {
    private ClusterSubmission() {
    }

    public static JobExecutionResult submit(Configuration overrides) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(overrides);
        Configuration conf = new Configuration();
        env.getConfiguration().toMap().forEach(conf::setString);
        conf.addAll(overrides);
        String input = conf.getOptional(SipOptions.INPUT_PATH).orElse(null);
        if (input == null && !KafkaOptions.kafkaInput(conf)) {
            throw new IllegalArgumentException("set " + SipOptions.INPUT_PATH.key() + " or "
                    + KafkaOptions.BOOTSTRAP_SERVERS.key() + " with " + KafkaOptions.INPUT_TOPICS.key());
        }
        String tokenizer = conf.getOptional(SipOptions.TOKENIZER_PATH).orElseThrow(() ->
                new IllegalArgumentException(SipOptions.TOKENIZER_PATH.key() + " must name a tokenizer.json"));
        String weights = conf.getOptional(SipOptions.WEIGHTS_DIR).orElseThrow(() ->
                new IllegalArgumentException(SipOptions.WEIGHTS_DIR.key() + " must name the weight store (a "
                        + "directory every TaskManager reaches)"));
        SipJob.build(env, new SipJob.Settings(conf, input, read(tokenizer), backends(conf), weights,
                conf.getOptional(SipOptions.EXPORT_DIR).orElse(null),
                conf.getOptional(SipOptions.OUTPUT_PATH).orElse(null)));
        return env.execute("flink-sip " + conf.get(SipOptions.MODE).name().toLowerCase());
    }

    /** The judge backends the options name: the reference world's judges, or OpenAI-compatible endpoints. */
    public static JudgeBackendFactory backends(Configuration conf) {
        if (conf.get(SipOptions.JUDGE_BACKEND) == SipOptions.JudgeBackend.OPENAI) {
            requireEndpoints(conf);
            return new OpenAiBackendFactory(LlmRoleOptions.QUALITY.endpoint(conf), LlmRoleOptions.SAFETY.endpoint(conf),
                    LlmRoleOptions.FACTUALITY.endpoint(conf), LlmRoleOptions.REWRITER.endpoint(conf),
                    conf.getOptional(SipOptions.PROMPT_DIR).orElse(null));
        }
        return new ReferenceBackendFactory(EmbeddedRun.worldConfig(conf));
    }

    /**
     * Every criterion SIP weighs, and the rewriter when rewriting is on, needs an endpoint. Checked where the job is
     * built: on a TaskManager the missing judge fails every restart of the job instead.
     */
    private static void requireEndpoints(Configuration conf) {
        if (conf.get(SipOptions.MODE) != SipOptions.Mode.SIP) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (conf.get(SipOptions.QUALITY_WEIGHT) > 0 && LlmRoleOptions.QUALITY.endpoint(conf) == null) {
            missing.add(LlmRoleOptions.QUALITY.baseUrl.key() + " (" + SipOptions.QUALITY_WEIGHT.key() + " > 0)");
        }
        if (conf.get(SipOptions.SAFETY_WEIGHT) > 0 && LlmRoleOptions.SAFETY.endpoint(conf) == null) {
            missing.add(LlmRoleOptions.SAFETY.baseUrl.key() + " (" + SipOptions.SAFETY_WEIGHT.key() + " > 0)");
        }
        if (conf.get(SipOptions.FACTUALITY_WEIGHT) > 0 && LlmRoleOptions.FACTUALITY.endpoint(conf) == null) {
            missing.add(LlmRoleOptions.FACTUALITY.baseUrl.key() + " (" + SipOptions.FACTUALITY_WEIGHT.key()
                    + " > 0)");
        }
        if (conf.get(SipOptions.REWRITE) && LlmRoleOptions.REWRITER.endpoint(conf) == null) {
            missing.add(LlmRoleOptions.REWRITER.baseUrl.key() + " (" + SipOptions.REWRITE.key() + ")");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(SipOptions.JUDGE_BACKEND.key() + "=OPENAI needs an endpoint for "
                    + String.join(", ", missing) + "; sip.llm.base-url and sip.llm.model serve every role at once");
        }
    }

    private static String read(String path) throws IOException {
        return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    }
}
