package io.flinksip.tokenizer;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The EOS and padding ids of a loaded tokenizer, found by name among the special added tokens.
 *
 * @param eos the end-of-sequence id
 * @param pad the padding id
 */
record SpecialTokenIds(int eos, int pad) {

    /**
     * Applies the naming rule shared by both implementations: among the added tokens marked {@code
     * special}, EOS is the first of {@link SpecialTokens#EOS_NAMES} present and padding the first
     * of {@link SpecialTokens#PAD_NAMES} present, falling back to EOS.
     *
     * @throws IllegalArgumentException if no special added token has an EOS name
     */
    static SpecialTokenIds resolve(List<AddedToken> addedTokens) {
        List<AddedToken> special = addedTokens.stream().filter(AddedToken::special).toList();
        int eos =
                firstNamed(special, SpecialTokens.EOS_NAMES)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "No end-of-sequence token: expected a special"
                                                        + " added token named one of "
                                                        + SpecialTokens.EOS_NAMES
                                                        + ", found "
                                                        + special.stream()
                                                                .map(AddedToken::content)
                                                                .collect(Collectors.toList())));
        int pad = firstNamed(special, SpecialTokens.PAD_NAMES).orElse(eos);
        return new SpecialTokenIds(eos, pad);
    }

    private static Optional<Integer> firstNamed(List<AddedToken> tokens, List<String> names) {
        for (String name : names) {
            for (AddedToken token : tokens) {
                if (token.content().equals(name)) {
                    return Optional.of(token.id());
                }
            }
        }
        return Optional.empty();
    }
}
