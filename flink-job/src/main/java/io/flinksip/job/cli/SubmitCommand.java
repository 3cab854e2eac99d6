package io.flinksip.job.cli;

import io.flinksip.job.ClusterEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code submit}: the job where the Flink client points. */
@Command(name = "submit", description = "Build the job from -D options and run it where the Flink client points "
        + "(flink run, the Kubernetes operator). Needs sip.input.path or sip.kafka.*, sip.tokenizer.path and "
        + "sip.weights.dir; generates nothing.")
final class SubmitCommand extends SipSubcommand {
    @Mixin
    FlinkSettings flink;

    @Override
    public Integer call() throws Exception {
        var conf = flink.configuration(spec);
        RunPreflight.kafka(conf);
        ClusterEntry.submit(conf);
        return 0;
    }
}
