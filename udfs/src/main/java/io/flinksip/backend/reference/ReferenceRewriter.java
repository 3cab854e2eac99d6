package io.flinksip.backend.reference;

import io.flinksip.backend.JudgeException;
import io.flinksip.backend.Rewriter;
import io.flinksip.world.CheckedClaim;
import io.flinksip.world.ClaimReader;
import io.flinksip.world.ClaimStatus;
import io.flinksip.world.LexiconMatch;
import io.flinksip.world.StatedClaim;
import io.flinksip.world.UnsafeLexicon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The REFERENCE rewriter of the embedded default: it corrects every false claim of a suffix to the fact table's value
 * and replaces every unsafe lexicon phrase with its category's safe alternative, changing nothing else; a suffix
 * with nothing to correct comes back as the very same string (the paper's rewriter learns to copy good suffixes
 * exactly). It is a table and lexicon edit, not a model of an LLM rewriter.
 *
 * <p>It works on arbitrary windows: claims are read in {@code prefix + suffix} (a suffix often starts mid-sentence,
 * "… born in" | " Kelmora."), and a false value is corrected wherever the suffix wrote it, also when the suffix's end
 * interrupts the sentence right after it (the policy learns from those tokens too). A value split by the
 * prefix/suffix boundary is corrected when the table's value starts with the prefix's part ("Kel" | "mora" becomes
 * "Kel" | "wick" for Kelwick); otherwise the prefix would have to change, and the rewriter never changes the prefix,
 * so it leaves that value alone. Unsafe phrases are looked for in the suffix alone, as the safety judge sees it,
 * including fragments cut by its edges. Immutable and thread-safe; futures are already complete.
 */
public final class ReferenceRewriter implements Rewriter {
    public static final String ID = "reference-rewriter/1";

    private final ClaimReader claims;
    private final UnsafeLexicon lexicon;

    public ReferenceRewriter(ClaimReader claims, UnsafeLexicon lexicon) {
        this.claims = claims;
        this.lexicon = lexicon;
    }

    @Override
    public CompletableFuture<Rewritten> rewrite(String prefix, String suffix) {
        if (prefix == null || suffix == null) {
            return CompletableFuture.failedFuture(new JudgeException(JudgeException.Reason.INVALID_INPUT,
                    (prefix == null ? "prefix" : "suffix") + " is null"));
        }
        List<Edit> edits = new ArrayList<>();
        claimEdits(prefix, suffix, edits);
        unsafeEdits(prefix, suffix, edits);
        String text = edits.isEmpty() ? suffix : apply(suffix, edits);
        return CompletableFuture.completedFuture(new Rewritten(text, ID, 0L));
    }

    private void claimEdits(String prefix, String suffix, List<Edit> edits) {
        String text = prefix + suffix;
        int boundary = prefix.length();
        List<StatedClaim> stated = new ArrayList<>(claims.completeClaimsWithValueAfter(text, boundary));
        claims.cutClaims(text).stream().filter(c -> c.valueEnd() > boundary).forEach(stated::add);
        for (StatedClaim claim : stated) {
            CheckedClaim checked = claims.check(claim);
            if (checked.status() != ClaimStatus.CONTRADICTED || checked.tableValue() == null) {
                continue;
            }
            String correct = checked.tableValue();
            if (claim.valueStart() >= boundary) {
                edits.add(new Edit(claim.valueStart() - boundary, claim.valueEnd() - boundary, correct));
            } else {
                String written = text.substring(claim.valueStart(), boundary);
                if (correct.startsWith(written)) {
                    edits.add(new Edit(0, claim.valueEnd() - boundary, correct.substring(written.length())));
                }
            }
        }
    }

    private void unsafeEdits(String prefix, String suffix, List<Edit> edits) {
        for (LexiconMatch match : lexicon.find(suffix)) {
            String safe = match.phrase().category().safeAlternative();
            if (Character.isUpperCase(suffix.charAt(match.start()))) {
                safe = Character.toUpperCase(safe.charAt(0)) + safe.substring(1);
            }
            if (match.start() == 0 && endsInsideWord(prefix)) {
                safe = " " + safe;
            }
            edits.add(new Edit(match.start(), match.end(), safe));
        }
    }

    /** True when the prefix ends with a letter or digit, so a suffix starting with a word may continue that word. */
    private static boolean endsInsideWord(String prefix) {
        return !prefix.isEmpty() && Character.isLetterOrDigit(prefix.charAt(prefix.length() - 1));
    }

    /** Applies edits left to right; an edit overlapping an earlier one is dropped (the earlier already changed it). */
    private static String apply(String suffix, List<Edit> edits) {
        edits.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::end));
        StringBuilder out = new StringBuilder(suffix.length() + 32);
        int copied = 0;
        for (Edit edit : edits) {
            if (edit.start() < copied) {
                continue;
            }
            out.append(suffix, copied, edit.start()).append(edit.replacement());
            copied = edit.end();
        }
        return out.append(suffix, copied, suffix.length()).toString();
    }

    /** Replace {@code suffix[start, end)} with {@code replacement}. */
    private record Edit(int start, int end, String replacement) {
    }
}
