package io.flinksip.bench;

import io.flinksip.job.config.ModelPreset;
import io.flinksip.model.LlamaConfig;

import java.util.Locale;

/**
 * A model shape a benchmark measures, as written on its command line: a preset ({@code tiny}, {@code small},
 * {@code base}, {@code m100}) or explicit dimensions such as {@code d768-l12-i2048-v8192-untied}: hidden size, layers,
 * MLP size, optionally heads {@code h12} (default d / 64), vocabulary {@code v} (default 2,048) and {@code untied} for
 * a separate output head.
 */
record ModelShape(String name, int hiddenSize, int layers, int intermediateSize, int heads, int vocab, boolean tied) {
    static final int DEFAULT_VOCAB = 2048;

    static ModelShape parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (!s.contains("-")) {
            ModelPreset preset;
            try {
                preset = ModelPreset.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown preset " + spec + " (tiny, small, base, m100, or a shape "
                        + "such as d768-l12-i2048-v8192-untied)");
            }
            return new ModelShape(s, preset.hiddenSize, preset.layers, preset.intermediateSize, preset.heads,
                    DEFAULT_VOCAB, true);
        }
        int d = 0;
        int layers = 0;
        int mlp = 0;
        int heads = 0;
        int vocab = DEFAULT_VOCAB;
        boolean tied = true;
        for (String part : s.split("-")) {
            if (part.equals("untied")) {
                tied = false;
                continue;
            }
            if (part.length() < 2 || !part.substring(1).chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("cannot read " + part + " in shape " + spec
                        + " (expected e.g. d768-l12-i2048-h12-v8192-untied)");
            }
            int value = Integer.parseInt(part.substring(1));
            switch (part.charAt(0)) {
                case 'd' -> d = value;
                case 'l' -> layers = value;
                case 'i' -> mlp = value;
                case 'h' -> heads = value;
                case 'v' -> vocab = value;
                default -> throw new IllegalArgumentException("unknown dimension " + part + " in shape " + spec);
            }
        }
        if (d <= 0 || layers <= 0 || mlp <= 0) {
            throw new IllegalArgumentException("shape " + spec + " needs d, l and i");
        }
        return new ModelShape(s, d, layers, mlp, heads > 0 ? heads : Math.max(1, d / 64), vocab, tied);
    }

    /** The model configuration (positions for the benchmarks' sequences of up to 256 tokens). */
    LlamaConfig config() {
        return LlamaConfig.tiny(vocab, 0).withShape(hiddenSize, intermediateSize, layers, heads, heads, tied)
                .withMaxPositions(256);
    }
}
