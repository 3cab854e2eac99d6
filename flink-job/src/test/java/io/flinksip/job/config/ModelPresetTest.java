package io.flinksip.job.config;

import io.flinksip.model.LlamaConfig;
import io.flinksip.model.LlamaModel;
import io.flinksip.tokenizer.ByteLevelBpeTrainer;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelPresetTest {
    private static String tokenizerJson;

    @BeforeAll
    static void tokenizer(@TempDir Path dir) throws Exception {
        new ByteLevelBpeTrainer(2048).train(List.of("a b c d e f g h i j k l m n o p q r s t u v w x y z ".repeat(50)))
                .save(dir.resolve("t.json"));
        tokenizerJson = Files.readString(dir.resolve("t.json"));
    }

    private static LlamaConfig model(Configuration conf) {
        return StageConfigs.fromConfiguration(conf).model(tokenizerJson);
    }

    @Test
    void theDefaultIsTheTinyModelAndEachPresetIsTheSizeItsNameSays() {
        LlamaConfig tiny = model(new Configuration());
        assertEquals(128, tiny.hiddenSize());
        assertEquals(4, tiny.numLayers());
        long previous = 0;
        for (ModelPreset preset : ModelPreset.values()) {
            Configuration conf = new Configuration();
            conf.setString(SipOptions.MODEL_PRESET.key(), preset.name().toLowerCase());
            LlamaConfig c = model(conf);
            assertEquals(preset.hiddenSize, c.hiddenSize(), preset + " from its lower-case name");
            assertEquals(preset.layers, c.numLayers());
            long params = LlamaModel.parameterCount(c);
            assertTrue(params > previous, preset + " is larger than the preset before it");
            previous = params;
        }
        Configuration m100 = new Configuration();
        m100.set(SipOptions.MODEL_PRESET, ModelPreset.M100);
        long params = LlamaModel.parameterCount(model(m100));
        assertTrue(params > 80_000_000 && params < 120_000_000, "M100 is about 100 M parameters: " + params);
    }

    @Test
    void anExplicitDimensionOverridesThePresetsOnly() {
        Configuration conf = new Configuration();
        conf.set(SipOptions.MODEL_PRESET, ModelPreset.BASE);
        conf.set(SipOptions.LAYERS, 2);
        LlamaConfig c = model(conf);
        assertEquals(2, c.numLayers());
        assertEquals(ModelPreset.BASE.hiddenSize, c.hiddenSize());
        assertEquals(ModelPreset.BASE.heads, c.numHeads());
    }
}
