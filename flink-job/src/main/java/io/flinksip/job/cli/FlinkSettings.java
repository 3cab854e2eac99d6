package io.flinksip.job.cli;

import io.flinksip.job.config.ConfigKeys;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code -Dkey=value} settings: flink-sip's options (docs/options.md) and Flink's, checked before anything starts. */
final class FlinkSettings {
    @Option(names = "-D", paramLabel = "key=value", description = "an option of docs/options.md or of Flink "
            + "(repeatable); unknown sip.* keys and values of the wrong type are refused")
    Map<String, String> settings = new LinkedHashMap<>();

    Configuration configuration(CommandSpec spec) {
        try {
            return ConfigKeys.toConfiguration(settings);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
