package io.flinksip.job.cli;

import io.flinksip.job.config.SipOptions;
import io.flinksip.job.kafka.KafkaListenerProbe;
import io.flinksip.job.kafka.KafkaOptions;
import io.flinksip.tokenizer.TextTokenizer;
import io.flinksip.tokenizer.Tokenizers;
import org.apache.flink.configuration.Configuration;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks, before a job is built, the mistakes that would otherwise surface on a TaskManager and burn the restart budget
 * (or silently change what runs): local paths that do not exist, a tokenizer that does not load.
 */
final class RunPreflight {
    private RunPreflight() {
    }

    static void check(Configuration conf, String resume) {
        conf.getOptional(SipOptions.INPUT_PATH).ifPresent(p -> {
            if (!flinkPathExists(p).orElse(true)) {
                throw new UserError("input " + p + ": no such file or directory");
            }
        });
        conf.getOptional(SipOptions.TOKENIZER_PATH).ifPresent(t -> tokenizer(t, conf));
        if (resume != null && !resume.equals("latest") && !flinkPathExists(resume).orElse(true)) {
            throw new UserError("--resume " + resume + ": no such savepoint or checkpoint");
        }
        kafka(conf);
        conf.getOptional(SipOptions.INIT_CHECKPOINT).flatMap(RunPreflight::local).ifPresent(p -> {
            if (!Files.isDirectory(p)) {
                throw new UserError(SipOptions.INIT_CHECKPOINT.key() + "=" + p + ": not a directory (a Hugging Face "
                        + "checkpoint directory with config.json)");
            }
        });
    }

    /** A plaintext client setup against a TLS broker, which Kafka's clients report as anything but that. */
    static void kafka(Configuration conf) {
        if (conf.getOptional(KafkaOptions.BOOTSTRAP_SERVERS).isEmpty()) {
            return;
        }
        kafka(conf.get(KafkaOptions.BOOTSTRAP_SERVERS), conf, "give the client settings in a file with -D"
                + KafkaOptions.CLIENT_CONFIG_FILE.key() + "=FILE");
    }

    static void kafka(String bootstrap, Configuration conf, String remedy) {
        try {
            KafkaListenerProbe.checkPlaintextClients(bootstrap, KafkaOptions.clientProperties(conf), remedy);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    static void tokenizer(String path, Configuration conf) {
        Path p = local(path).orElse(null);
        if (p == null) {
            return;
        }
        if (!Files.isRegularFile(p)) {
            throw new UserError(SipOptions.TOKENIZER_PATH.key() + "=" + path + ": no such file");
        }
        try (TextTokenizer t = Tokenizers.load(p, conf.get(SipOptions.TOKENIZER_BACKEND))) {
            t.vocabSize();
        } catch (Exception e) {
            throw new UserError(SipOptions.TOKENIZER_PATH.key() + "=" + path + ": " + e.getMessage());
        }
    }

    /**
     * Whether a location exists, read the way the job will read it (Flink's file systems and path syntax), or empty
     * when this client cannot tell (a file system whose plugin only the cluster has).
     */
    static Optional<Boolean> flinkPathExists(String location) {
        try {
            org.apache.flink.core.fs.Path p = new org.apache.flink.core.fs.Path(location);
            return Optional.of(p.getFileSystem().exists(p));
        } catch (java.io.IOException | RuntimeException unknown) {
            return Optional.empty();
        }
    }

    /** The local path a location names, or empty for a remote file system (checked where it is read). */
    static Optional<Path> local(String location) {
        if (location.startsWith("file:")) {
            try {
                return Optional.of(Path.of(URI.create(location)));
            } catch (IllegalArgumentException relative) {
                return Optional.of(Path.of(location.substring("file:".length())));
            }
        }
        if (location.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(location));
    }
}
