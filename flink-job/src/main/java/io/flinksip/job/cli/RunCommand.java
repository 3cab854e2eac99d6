package io.flinksip.job.cli;

import io.flinksip.job.EmbeddedRun;
import io.flinksip.job.config.SipOptions;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code run}: the job in a local Flink MiniCluster. */
@Command(name = "run", sortOptions = false, description = {
    "Run the self-improving pretraining job in a local Flink MiniCluster. With no --input it generates the reference "
        + "world's corpus and uses the built-in reference judges.",
    "While it runs, type 's' + Enter (or send SIGTERM / Ctrl-C) to take a savepoint and stop; it prints the command "
        + "that resumes. Ends with where every input went (also in <output>/summary.json); exits non-zero when the "
        + "job failed, trained nothing, or an input is not accounted for."})
final class RunCommand extends SipSubcommand {
    @Option(names = "--mode", paramLabel = "sip|ntp", description = "SIP, or next-token pretraining (default: sip)")
    SipOptions.Mode mode;

    @Option(names = "--objective", paramLabel = "dpo|rf-nll", converter = ObjectiveConverter.class,
            description = "the SIP objective (default: dpo)")
    SipOptions.SipObjective objective;

    @Option(names = "--input", paramLabel = "PATH", description = "a JSONL file or directory (plain or .gz)")
    String input;

    @Option(names = "--docs", paramLabel = "N", description = "reference-world documents without --input (2000)")
    Integer docs;

    @Option(names = "--work", paramLabel = "DIR", description = "work directory (work)")
    String work;

    @Option(names = "--resume", paramLabel = "SAVEPOINT|latest", description = "a savepoint or retained checkpoint, "
            + "or 'latest': the newest of them under --work")
    String resume;

    @Mixin
    FlinkSettings flink;

    @Override
    public Integer call() throws Exception {
        Configuration conf = flink.configuration(spec);
        apply(conf);
        RunPreflight.check(conf, resume);
        List<String> given = spec.commandLine().getParseResult().originalArgs();
        EmbeddedRun.Result r = new EmbeddedRun(conf, out(), root.in)
                .withResumeCommand(savepoint -> resumeCommand(given, savepoint)).run(resume);
        return r.exitCode();
    }

    void apply(Configuration conf) {
        if (mode != null) {
            conf.set(SipOptions.MODE, mode);
        }
        if (objective != null) {
            conf.set(SipOptions.OBJECTIVE, objective);
        }
        if (input != null) {
            conf.set(SipOptions.INPUT_PATH, input);
        }
        if (work != null) {
            conf.set(SipOptions.WORK_DIR, work);
        }
        if (docs != null) {
            if (docs < 10) {
                throw usage("--docs must be at least 10");
            }
            conf.set(SipOptions.WORLD_DOCUMENTS, docs);
        }
    }

    /** The command as it was given, with --resume pointing at the savepoint: same work, outputs and options. */
    static String resumeCommand(List<String> given, String savepoint) {
        List<String> args = new ArrayList<>(List.of("./flink-sip", "run"));
        for (int i = 0; i < given.size(); i++) {
            String a = given.get(i);
            if (a.equals("--resume")) {
                i++;
            } else if (!a.startsWith("--resume=") && !(i == 0 && a.equals("run"))) {
                args.add(a);
            }
        }
        args.add("--resume");
        args.add(savepoint);
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            sb.append(sb.length() == 0 ? "" : " ").append(ShellQuote.quote(a));
        }
        return sb.toString();
    }
}
