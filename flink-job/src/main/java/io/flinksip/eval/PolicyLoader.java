package io.flinksip.eval;

import io.flinksip.model.LlamaModel;
import io.flinksip.weights.HfCheckpoint;
import io.flinksip.weights.PolicyWeights;
import io.flinksip.weights.WeightStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a policy for evaluation from an exported Hugging Face checkpoint directory ({@code config.json} +
 * {@code model.safetensors}) or from a weight-store version directory ({@code <root>/<namespace>/v-NNN}).
 */
public final class PolicyLoader {
    private PolicyLoader() {
    }

    public static LlamaModel load(Path path) throws IOException {
        if (Files.exists(path.resolve(HfCheckpoint.CONFIG_FILE))) {
            HfCheckpoint.Loaded loaded = HfCheckpoint.load(path);
            return LlamaModel.create(loaded.config(), loaded.weights(), false);
        }
        if (Files.exists(path.resolve("weights.bin")) && path.getFileName().toString().startsWith("v-")) {
            long version = Long.parseLong(path.getFileName().toString().substring(2));
            WeightStore store = new WeightStore(path.getParent().getParent().toString());
            PolicyWeights w = store.load(path.getParent().getFileName().toString(), version);
            return LlamaModel.create(w.config(), w.weights(), false);
        }
        throw new IOException(path + " is neither a Hugging Face checkpoint nor a weight-store version directory");
    }
}
