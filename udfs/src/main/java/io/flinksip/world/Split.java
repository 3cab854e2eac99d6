package io.flinksip.world;

/** The two document splits of the reference world. */
public enum Split {
    TRAIN("train", Phrasing.TRAIN),
    HELD_OUT("heldout", Phrasing.HELD_OUT);

    private final String id;
    private final Phrasing phrasing;

    Split(String id, Phrasing phrasing) {
        this.id = id;
        this.phrasing = phrasing;
    }

    /** The name used in file names, document ids and the {@code split} attribute. */
    public String id() {
        return id;
    }

    /** The phrasing set the split's documents state their facts in. */
    public Phrasing phrasing() {
        return phrasing;
    }
}
