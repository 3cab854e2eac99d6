package io.flinksip.job.cli;

import io.flinksip.eval.ExperimentRun;
import io.flinksip.job.config.SipOptions;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code experiment}: the paper's comparison, in miniature. */
@Command(name = "experiment", sortOptions = false, description = {
    "From one pretrained initial policy (Base), train ntp, sip (DPO) and sip (RF-NLL) on the same generated stream in "
        + "strict mode, evaluate the four rows on held-out prefixes (the paper's metrics: safety, factuality with the "
        + "suffix as reference and against the fact table, claims made, repetition, perplexity; win rates and "
        + "relative gains against Base and NTP), print the comparison and write work/experiment/report.{html,json}."})
final class ExperimentCommand extends SipSubcommand {
    private static final ExperimentRun.Options DEFAULTS = ExperimentRun.Options.defaults();

    @Option(names = "--docs", paramLabel = "N", description = "training documents (3000)")
    Integer docs;

    @Option(names = "--work", paramLabel = "DIR", description = "work directory (work)")
    String work;

    @Option(names = "--prefixes", paramLabel = "N", description = "held-out prefixes (600)")
    Integer prefixes;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1", description = "repeat with other stream orders "
            + "and rollout seeds; report mean and spread (1)")
    int seeds;

    @Option(names = "--decoding", paramLabel = "greedy|sampled", defaultValue = "greedy",
            description = "greedy, as the paper (default), or sampled at T = 1")
    String decoding;

    @Option(names = "--ntp-lr", paramLabel = "X", description = "NTP's own learning rate (1e-3)")
    Double ntpLearningRate;

    @Option(names = "--ntp-sweep", paramLabel = "X,Y,...", split = ",", description = "instead: train NTP alone at "
            + "each rate and report held-out perplexity")
    List<Double> ntpSweep;

    @Option(names = "--pretrain-docs", paramLabel = "N", description = "documents Base is pretrained on (4000)")
    Integer pretrainDocs;

    @Option(names = "--pretrain-steps", paramLabel = "N", description = "Base's pretraining steps (600)")
    Integer pretrainSteps;

    @Mixin
    FlinkSettings flink;

    @Override
    public Integer call() throws Exception {
        Configuration conf = flink.configuration(spec);
        if (work != null) {
            conf.set(SipOptions.WORK_DIR, work);
        }
        if (docs != null) {
            conf.set(SipOptions.WORLD_DOCUMENTS, positive("--docs", docs));
        }
        ExperimentRun.applyDefaults(conf);
        if (!decoding.equals("greedy") && !decoding.equals("sampled")) {
            throw usage("--decoding must be greedy or sampled, not " + decoding);
        }
        var options = new ExperimentRun.Options(
                prefixes == null ? DEFAULTS.heldOutPrefixes() : positive("--prefixes", prefixes),
                pretrainDocs == null ? DEFAULTS.pretrainDocuments() : positive("--pretrain-docs", pretrainDocs),
                pretrainSteps == null ? DEFAULTS.pretrainSteps() : positive("--pretrain-steps", pretrainSteps),
                positive("--seeds", seeds), decoding.equals("greedy"),
                ntpLearningRate == null ? DEFAULTS.ntpLearningRate() : rate("--ntp-lr", ntpLearningRate));
        var experiment = new ExperimentRun(conf, out(), options);
        if (ntpSweep != null && !ntpSweep.isEmpty()) {
            ntpSweep.forEach(r -> rate("--ntp-sweep", r));
            experiment.ntpSweep(ntpSweep);
        } else {
            experiment.run();
        }
        return 0;
    }

    private int positive(String flag, int n) {
        if (n < 1) {
            throw usage(flag + " must be a positive integer, got " + n);
        }
        return n;
    }

    private double rate(String flag, double x) {
        if (!(x > 0 && x < 1)) {
            throw usage(flag + " needs learning rates between 0 and 1, got " + x);
        }
        return x;
    }
}
