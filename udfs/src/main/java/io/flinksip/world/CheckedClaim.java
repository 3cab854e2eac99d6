package io.flinksip.world;

import java.util.Locale;

/**
 * A stated claim and the fact table's answer to it.
 *
 * @param claim what the text says
 * @param status consistent, contradicted or unverifiable
 * @param entity the table entity the claim was resolved to; null when unverifiable, or when a name cut at the
 *     text's start fits several entities (then no single correction exists)
 * @param tableValue the table's value for (entity, relation); null exactly when {@code entity} is
 */
public record CheckedClaim(StatedClaim claim, ClaimStatus status, String entity, String tableValue) {

    /** A one-line account for audit logs, e.g. {@code contradicted: 'Orlen Vask' born_in 'Kelmora' (table: 'Velmora')}. */
    public String explain() {
        String stated = "'" + claim.entity() + "' " + claim.relation().id() + " '" + claim.value() + "'";
        return switch (status) {
            case CONSISTENT -> "consistent: " + stated;
            case CONTRADICTED -> "contradicted: " + stated
                    + (tableValue == null ? " (no entity of that name has that value)" : " (table: '" + tableValue + "')");
            case UNVERIFIABLE -> "unverifiable: " + stated + " (no "
                    + claim.relation().subject().name().toLowerCase(Locale.ROOT) + " of that name in the fact table)";
        };
    }
}
