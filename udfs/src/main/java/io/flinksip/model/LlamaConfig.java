package io.flinksip.model;

/**
 * Shape of a Llama-style decoder. Field names mirror Hugging Face's {@code LlamaConfig} so that export to
 * {@code config.json} is a renaming, not a conversion.
 *
 * @param vocabSize number of token ids
 * @param hiddenSize model width (d)
 * @param intermediateSize width of the SwiGLU MLP
 * @param numLayers number of decoder blocks
 * @param numHeads number of query heads
 * @param numKeyValueHeads number of key/value heads; smaller than {@code numHeads} for grouped-query attention
 * @param maxPositionEmbeddings longest sequence (prefix + continuation) the model accepts
 * @param ropeTheta rotary base frequency
 * @param rmsNormEps epsilon inside RMSNorm
 * @param tieWordEmbeddings whether the output head shares the token-embedding matrix
 * @param bosTokenId beginning-of-sequence id ({@code -1} when the tokenizer has none)
 * @param eosTokenId end-of-sequence id; generation stops there
 * @param initializerRange standard deviation of the normal initialisation of weight matrices
 */
public record LlamaConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKeyValueHeads,
        int maxPositionEmbeddings,
        double ropeTheta,
        double rmsNormEps,
        boolean tieWordEmbeddings,
        int bosTokenId,
        int eosTokenId,
        double initializerRange) implements java.io.Serializable {

    public LlamaConfig {
        require(vocabSize > 0, "vocabSize must be positive");
        require(hiddenSize > 0, "hiddenSize must be positive");
        require(intermediateSize > 0, "intermediateSize must be positive");
        require(numLayers > 0, "numLayers must be positive");
        require(numHeads > 0 && hiddenSize % numHeads == 0, "hiddenSize must be a multiple of numHeads");
        require(numKeyValueHeads > 0 && numHeads % numKeyValueHeads == 0,
                "numHeads must be a multiple of numKeyValueHeads");
        require((hiddenSize / numHeads) % 2 == 0, "head dimension must be even for rotary embeddings");
        require(maxPositionEmbeddings > 1, "maxPositionEmbeddings must be > 1");
        require(ropeTheta > 0, "ropeTheta must be positive");
        require(rmsNormEps > 0, "rmsNormEps must be positive");
        require(eosTokenId >= 0 && eosTokenId < vocabSize, "eosTokenId must be a valid token id");
        require(bosTokenId >= -1 && bosTokenId < vocabSize, "bosTokenId must be -1 or a valid token id");
        require(initializerRange > 0, "initializerRange must be positive");
    }

    /**
     * The embedded default: about 1 M parameters (vocab 2048, d 128, 4 layers), small enough to train on two CPU
     * cores. Tied embeddings keep the output head from doubling the parameter count at this size.
     */
    public static LlamaConfig tiny(int vocabSize, int eosTokenId) {
        return new LlamaConfig(vocabSize, 128, 352, 4, 4, 4, 512, 10_000.0, 1e-5, true, -1, eosTokenId, 0.02);
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    public int kvDim() {
        return headDim() * numKeyValueHeads;
    }

    public LlamaConfig withShape(int hidden, int intermediate, int layers, int heads, int kvHeads, boolean tied) {
        return new LlamaConfig(vocabSize, hidden, intermediate, layers, heads, kvHeads, maxPositionEmbeddings,
                ropeTheta, rmsNormEps, tied, bosTokenId, eosTokenId, initializerRange);
    }

    public LlamaConfig withMaxPositions(int maxPositions) {
        return new LlamaConfig(vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKeyValueHeads,
                maxPositions, ropeTheta, rmsNormEps, tieWordEmbeddings, bosTokenId, eosTokenId, initializerRange);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("Invalid LlamaConfig: " + message);
        }
    }

    @Override
    public String toString() {
        return String.format("LlamaConfig{vocab=%d, d=%d, ffn=%d, layers=%d, heads=%d/%d, maxPos=%d, tied=%s}",
                vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKeyValueHeads,
                maxPositionEmbeddings, tieWordEmbeddings);
    }
}
