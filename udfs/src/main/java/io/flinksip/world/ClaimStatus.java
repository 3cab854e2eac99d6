package io.flinksip.world;

/** How a stated claim compares with the fact table. */
public enum ClaimStatus {
    /** The table holds the stated value. */
    CONSISTENT,
    /** The table holds a different value for the same entity and relation. */
    CONTRADICTED,
    /** The table cannot tell: an unknown entity, or an entity of the wrong kind for the relation. */
    UNVERIFIABLE
}
