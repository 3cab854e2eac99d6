package io.flinksip.job.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checks a policy argument gets: an exported checkpoint carries its tokenizer, a weight-store version does not. */
final class Policies {
    private Policies() {
    }

    static void requireDirectory(String flag, Path policy) {
        if (!Files.isDirectory(policy)) {
            throw new UserError(flag + " " + policy + ": not a directory (an exported checkpoint, or a weight-store "
                    + "version weights/<namespace>/v-NNN)");
        }
    }

    /** The tokenizer to use with {@code policy}: the one given, or the checkpoint's own. */
    static Path tokenizer(Path policy, Path given) {
        if (given != null) {
            if (!Files.isRegularFile(given)) {
                throw new UserError("--tokenizer " + given + ": no such file");
            }
            return given;
        }
        Path own = policy.resolve("tokenizer.json");
        if (!Files.isRegularFile(own)) {
            throw new UserError(policy + " has no tokenizer.json (a weight-store version carries none): pass "
                    + "--tokenizer FILE, e.g. the run's work/tokenizer.json");
        }
        return own;
    }
}
