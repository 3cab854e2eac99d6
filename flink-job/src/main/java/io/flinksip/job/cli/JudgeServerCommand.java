package io.flinksip.job.cli;

import io.flinksip.backend.ReferenceBackendFactory;
import io.flinksip.backend.server.FaultPlan;
import io.flinksip.backend.server.ReferenceJudgeServer;
import io.flinksip.world.WorldConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code judge-server}: the reference judges behind the OpenAI protocol. */
@Command(name = "judge-server", sortOptions = false, description = "Serve the built-in reference judges and rewriter "
        + "over the OpenAI chat-completions protocol on loopback, to try the OPENAI backend without an LLM server.")
final class JudgeServerCommand extends SipSubcommand {
    @Option(names = "--port", paramLabel = "N", description = "port (8089; 0 picks a free one)")
    int port = 8089;

    @Option(names = "--seed", paramLabel = "N", description = "the world's seed (42)")
    long seed = 42;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw usage("--port must be 0..65535");
        }
        var world = WorldConfig.defaults().withSeed(seed);
        try (var server = new ReferenceJudgeServer(port, new ReferenceBackendFactory(world).create(), FaultPlan.none(),
                null)) {
            out().printf("reference judges on %s (OpenAI chat-completions protocol, loopback only); Ctrl-C stops%n",
                    server.baseUrl());
            Thread.currentThread().join();
        }
        return 0;
    }
}
