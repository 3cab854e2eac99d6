package io.flinksip.backend.reference;

import io.flinksip.backend.FactualityVerdict;

/**
 * The fact table's verdict on a continuation.
 *
 * @param verdict DEFINITE if any of its claims is contradicted, else POSSIBLE if any is unverifiable, else NO
 * @param explanation one audit line naming the deciding claim
 */
record FactCheck(FactualityVerdict verdict, String explanation) {
}
