package io.flinksip.weights;

import io.flinksip.model.LlamaConfig;

import java.util.LinkedHashMap;

/** One published policy version: its shape and weights by Hugging Face name. */
public record PolicyWeights(long version, LlamaConfig config, LinkedHashMap<String, float[]> weights) {
}
