package io.flinksip.job;

import io.flinksip.job.config.SipOptions;
import io.flinksip.job.config.StageConfigs;
import io.flinksip.job.kafka.KafkaOptions;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
        SipJob.build(env, SipJob.Settings.builder(conf).inputPath(input).tokenizerJson(read(tokenizer))
                .backends(StageConfigs.fromConfiguration(conf).backends()).weightsDir(weights)
                .exportDir(conf.getOptional(SipOptions.EXPORT_DIR).orElse(null))
                .outputDir(conf.getOptional(SipOptions.OUTPUT_PATH).orElse(null)).build());
        return env.execute("flink-sip " + conf.get(SipOptions.MODE).name().toLowerCase());
    }

    private static String read(String path) throws IOException {
        return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    }
}
