package io.flinksip.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Binary form of a {@link LlamaConfig}, shared by the trainer-state and weight-file formats. */
public final class LlamaConfigCodec {
    private LlamaConfigCodec() {
    }

    public static void write(DataOutput out, LlamaConfig c) throws IOException {
        out.writeInt(c.vocabSize());
        out.writeInt(c.hiddenSize());
        out.writeInt(c.intermediateSize());
        out.writeInt(c.numLayers());
        out.writeInt(c.numHeads());
        out.writeInt(c.numKeyValueHeads());
        out.writeInt(c.maxPositionEmbeddings());
        out.writeDouble(c.ropeTheta());
        out.writeDouble(c.rmsNormEps());
        out.writeBoolean(c.tieWordEmbeddings());
        out.writeInt(c.bosTokenId());
        out.writeInt(c.eosTokenId());
        out.writeDouble(c.initializerRange());
    }

    public static LlamaConfig read(DataInput in) throws IOException {
        return new LlamaConfig(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                in.readInt(), in.readDouble(), in.readDouble(), in.readBoolean(), in.readInt(), in.readInt(),
                in.readDouble());
    }
}
