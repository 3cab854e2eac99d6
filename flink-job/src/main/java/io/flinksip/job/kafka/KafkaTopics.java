package io.flinksip.job.kafka;

import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Facts about the input topic that the job graph depends on, asked of the broker when the job is built. */
public final class KafkaTopics {
    private KafkaTopics() {
    }

    /** The partitions of the one input topic of strict mode; fails with a clear message when that is not the setup. */
    public static int strictInputPartitions(Configuration conf) {
        if (conf.getOptional(KafkaOptions.INPUT_PATTERN).isPresent()) {
            throw new IllegalArgumentException("strict sync numbers samples per partition of one topic: use "
                    + KafkaOptions.INPUT_TOPICS.key() + " with a single topic, not " + KafkaOptions.INPUT_PATTERN.key());
        }
        List<String> topics = List.of(conf.get(KafkaOptions.INPUT_TOPICS).split(",")).stream().map(String::trim)
                .filter(t -> !t.isEmpty()).toList();
        if (topics.size() != 1) {
            throw new IllegalArgumentException("strict sync numbers samples per partition of one topic, but "
                    + KafkaOptions.INPUT_TOPICS.key() + " names " + topics);
        }
        Properties props = KafkaOptions.clientProperties(conf);
        props.put("bootstrap.servers", conf.get(KafkaOptions.BOOTSTRAP_SERVERS));
        try (Admin admin = Admin.create(props)) {
            TopicDescription d = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topics.get(0));
            return d.partitions().size();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read the partitions of topic " + topics.get(0) + " from "
                    + conf.get(KafkaOptions.BOOTSTRAP_SERVERS) + ": " + e.getMessage(), e);
        }
    }
}
