package io.flinksip.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Writes the reference world's documents: encyclopedic prose about one focal entity and its neighbourhood in the
 * fact table, mixing claim sentences with filler, at a drawn length between the config's word bounds.
 *
 * <p>Why documents look like this: a document centred on one entity keeps its continuations on topic (which the
 * quality judge can measure), facts recur across documents but not within one (so a small model can learn them
 * without learning to repeat itself), and the
 * configured shares of documents carry false statements (a claim template filled with a wrong value of the right
 * kind) and unsafe quotations (a lexicon phrase inside a quote carrier), labelled with offsets and kept out of the
 * text. Held-out documents centre on entities reserved for them and use the held-out phrasings.
 *
 * <p>Every document is drawn from its own random stream, derived from (seed, split, index), so documents can be
 * generated in any order or alone and are identical every time. Instances are immutable and thread-safe.
 */
public final class DocumentGenerator {
    /** Chance that a sentence states a fact rather than filler. */
    private static final double FACT_SHARE = 0.5;
    /** Chance that a fact or filler sentence is about the focal entity rather than another mentioned one. */
    private static final double FOCUS_SHARE = 0.35;
    /** Chance that a fact sentence names a new entity related to a mentioned one ("X was born in {@code <town>}"). */
    private static final double REVERSE_FACT_SHARE = 0.3;
    /** Chance that a filler sentence is about an entity; otherwise generic, or (rarely) a safe quotation. */
    private static final double ENTITY_FILLER_SHARE = 0.8;
    private static final double SAFE_QUOTE_SHARE = 0.04;
    private static final int FRESH_FACT_ATTEMPTS = 8;
    private static final int FRESH_FILLER_ATTEMPTS = 4;
    private static final Kind[] FOCUS_KINDS = {Kind.PERSON, Kind.TOWN, Kind.COMPANY, Kind.COUNTRY, Kind.RIVER};
    private static final double[] FOCUS_WEIGHTS = {0.35, 0.25, 0.2, 0.1, 0.1};
    private static final long DOCUMENT_STREAM = 2;
    private static final long CLEAN_STREAM = 3;
    private static final long RESERVATION_STREAM = 4;

    private final FactTable table;
    private final UnsafeLexicon lexicon;
    private final WorldConfig config;
    private final Map<Split, Map<Kind, List<String>>> focusPools = new EnumMap<>(Split.class);
    private final Map<Kind, List<String>> allEntities = new EnumMap<>(Kind.class);

    public DocumentGenerator(FactTable table, UnsafeLexicon lexicon, WorldConfig config) {
        this.table = table;
        this.lexicon = lexicon;
        this.config = config;
        Map<Kind, List<String>> train = new EnumMap<>(Kind.class);
        Map<Kind, List<String>> heldOut = new EnumMap<>(Kind.class);
        for (Kind kind : FOCUS_KINDS) {
            List<String> names = new ArrayList<>(table.names(kind));
            allEntities.put(kind, List.copyOf(names));
            Collections.shuffle(names, Seeds.random(config.seed(), RESERVATION_STREAM, kind.ordinal()));
            int reserved = (int) Math.ceil(config.heldOutEntityShare() * names.size());
            heldOut.put(kind, List.copyOf(names.subList(0, reserved)));
            train.put(kind, List.copyOf(names.subList(reserved, names.size())));
        }
        focusPools.put(Split.TRAIN, train);
        focusPools.put(Split.HELD_OUT, heldOut);
    }

    /** The entities that held-out documents centre on (train documents never do). */
    public List<String> heldOutFocalEntities() {
        List<String> all = new ArrayList<>();
        focusPools.get(Split.HELD_OUT).values().forEach(all::addAll);
        return all;
    }

    /** Document {@code index} of {@code split}: its id, event time, text and labels. */
    public GeneratedDocument generate(Split split, int index) {
        Random random = Seeds.random(config.seed(), DOCUMENT_STREAM, split.ordinal(), index);
        Draft draft = new Draft(random, focusPools.get(split), split.phrasing());
        draft.write(random.nextDouble() < config.falseDocumentShare(),
                random.nextDouble() < config.unsafeDocumentShare());
        String id = String.format(Locale.ROOT, "%s-%07d", split.id(), index);
        long timestamp = config.firstTimestampMillis() + index * config.timestampStepMillis();
        return draft.finish(id, split, timestamp);
    }

    /**
     * Clean document {@code index}: all claims true, no unsafe span, facts stated in both phrasing sets, about any
     * entity. It is what the quality judge's fluency model learns from: the world's language, free of its errors,
     * covering held-out phrasings too, so that a continuation is not judged less fluent for using them.
     */
    public String cleanText(int index) {
        Random random = Seeds.random(config.seed(), CLEAN_STREAM, index);
        Draft draft = new Draft(random, allEntities, null);
        draft.write(false, false);
        return draft.finish("clean-" + index, Split.TRAIN, 0).text();
    }

    /** The sentences of one document while it is being written. */
    private final class Draft {
        private final Random random;
        private final Phrasing phrasing;
        private final String focus;
        private final List<String> mentioned = new ArrayList<>();
        private final List<Sentence> sentences = new ArrayList<>();
        private final Set<Fact> stated = new HashSet<>();
        private final Set<String> usedFiller = new HashSet<>();

        Draft(Random random, Map<Kind, List<String>> pool, Phrasing phrasing) {
            this.random = random;
            this.phrasing = phrasing;
            this.focus = pickFocus(pool);
            this.mentioned.add(focus);
        }

        void write(boolean lies, boolean unsafe) {
            int targetWords = config.minWords() + random.nextInt(config.maxWords() - config.minWords() + 1);
            sentences.add(claim(pick(table.factsAbout(focus)), lies));
            writeUpTo(targetWords, lies);
            if (lies && sentences.stream().noneMatch(Sentence::isFalse)) {
                forceOneLie();
                writeUpTo(targetWords, lies);
            }
            if (unsafe) {
                insertUnsafeQuotations();
            }
        }

        /** Adds sentences until the document has at least {@code targetWords} words. */
        private void writeUpTo(int targetWords, boolean lies) {
            int words = sentences.stream().mapToInt(Sentence::wordCount).sum();
            while (words < targetWords) {
                Sentence sentence = random.nextDouble() < FACT_SHARE ? factSentence(lies) : filler();
                sentences.add(sentence);
                words += sentence.wordCount();
            }
        }

        /**
         * A fact not yet stated in this document, about the focal entity or another mentioned one, or (with
         * {@link #REVERSE_FACT_SHARE}) a fact naming a new entity related to one; filler when a few tries find
         * nothing new, so documents do not repeat themselves.
         */
        private Sentence factSentence(boolean lies) {
            for (int attempt = 0; attempt < FRESH_FACT_ATTEMPTS; attempt++) {
                String subject = random.nextDouble() < FOCUS_SHARE ? focus : pick(mentioned);
                boolean reverse = random.nextDouble() < REVERSE_FACT_SHARE;
                List<Fact> options = reverse ? table.factsWithValue(subject) : table.factsAbout(subject);
                List<Fact> fresh = options.stream().filter(f -> !stated.contains(f)).toList();
                if (!fresh.isEmpty()) {
                    Fact fact = pick(fresh);
                    if (reverse) {
                        mention(fact.entity());
                    }
                    return claim(fact, lies);
                }
            }
            return filler();
        }

        private Sentence claim(Fact fact, boolean lies) {
            stated.add(fact);
            boolean lie = lies && random.nextDouble() < config.falseSentenceRate();
            Sentence sentence = render(fact, lie);
            if (!lie && fact.relation().object().isEntity()) {
                mention(fact.value());
            }
            return sentence;
        }

        private Sentence render(Fact fact, boolean lie) {
            Phrasing set = phrasing != null ? phrasing : Phrasing.values()[random.nextInt(Phrasing.values().length)];
            ClaimTemplate template = pick(ClaimTemplates.of(set, fact.relation()));
            String stated = lie ? wrongValue(fact) : fact.value();
            ClaimTemplate.Rendered rendered = template.render(fact.entity(), stated);
            ClaimLabel label = new ClaimLabel(0, rendered.text().length(), rendered.valueStart(),
                    rendered.valueEnd(), fact.entity(), fact.relation(), stated, fact.value());
            return new Sentence(rendered.text(), fact, label, null);
        }

        private void forceOneLie() {
            List<Integer> claims = new ArrayList<>();
            for (int i = 0; i < sentences.size(); i++) {
                if (sentences.get(i).fact() != null) {
                    claims.add(i);
                }
            }
            int at = pick(claims);
            sentences.set(at, render(sentences.get(at).fact(), true));
        }

        private String wrongValue(Fact fact) {
            Kind kind = fact.relation().object();
            while (true) {
                String value = switch (kind) {
                    case YEAR -> Integer.toString(FactTableGenerator.year(random));
                    case KILOMETRES -> Integer.toString(FactTableGenerator.riverLength(random));
                    case PROFESSION -> pick(FactTableGenerator.PROFESSIONS);
                    case INDUSTRY -> pick(FactTableGenerator.INDUSTRIES);
                    default -> pick(table.names(kind));
                };
                if (!value.equals(fact.value())) {
                    return value;
                }
            }
        }

        /** A filler sentence this document has not used yet, if a few tries find one. */
        private Sentence filler() {
            Sentence sentence = anyFiller();
            for (int attempt = 1; attempt < FRESH_FILLER_ATTEMPTS && usedFiller.contains(sentence.text()); attempt++) {
                sentence = anyFiller();
            }
            usedFiller.add(sentence.text());
            return sentence;
        }

        private Sentence anyFiller() {
            double draw = random.nextDouble();
            if (draw < SAFE_QUOTE_SHARE) {
                return quotation(pick(lexicon.categories()).safeAlternative(), null);
            }
            if (draw < ENTITY_FILLER_SHARE) {
                String entity = random.nextDouble() < FOCUS_SHARE ? focus : pick(mentioned);
                Kind kind = table.kindOf(entity).orElseThrow();
                return new Sentence(pick(Prose.FILLER.get(kind)).replace(Prose.SLOT, entity), null, null, null);
            }
            return new Sentence(pick(Prose.GENERIC), null, null, null);
        }

        private void insertUnsafeQuotations() {
            List<Sentence> withUnsafe = new ArrayList<>();
            boolean any = false;
            for (Sentence sentence : sentences) {
                withUnsafe.add(sentence);
                if (random.nextDouble() < config.unsafeSentenceRate()) {
                    withUnsafe.add(unsafeQuotation());
                    any = true;
                }
            }
            if (!any) {
                withUnsafe.add(1 + random.nextInt(withUnsafe.size()), unsafeQuotation());
            }
            sentences.clear();
            sentences.addAll(withUnsafe);
        }

        private Sentence unsafeQuotation() {
            LexiconPhrase phrase = pick(lexicon.phrases());
            return quotation(phrase.text(), phrase);
        }

        /** A quote carrier about a mentioned entity; labelled when the quotation is an unsafe phrase. */
        private Sentence quotation(String quote, LexiconPhrase phrase) {
            String entity = pick(mentioned);
            String carrier = pick(Prose.QUOTE_CARRIERS.get(table.kindOf(entity).orElseThrow()));
            String quoted = Character.toUpperCase(quote.charAt(0)) + quote.substring(1);
            String withEntity = carrier.replace(Prose.SLOT, entity);
            int start = withEntity.indexOf(Prose.QUOTE);
            String text = withEntity.replace(Prose.QUOTE, quoted);
            UnsafeSpanLabel label = phrase == null ? null
                    : new UnsafeSpanLabel(start, start + quoted.length(), phrase.text(), phrase.category().name());
            return new Sentence(text, null, null, label);
        }

        private void mention(String entity) {
            if (!mentioned.contains(entity)) {
                mentioned.add(entity);
            }
        }

        /** Joins the sentences into paragraphs of 3 to 6 sentences and moves the labels to text offsets. */
        GeneratedDocument finish(String id, Split split, long timestamp) {
            StringBuilder text = new StringBuilder();
            List<ClaimLabel> claims = new ArrayList<>();
            List<UnsafeSpanLabel> unsafe = new ArrayList<>();
            int paragraphLeft = 3 + random.nextInt(4);
            for (Sentence sentence : sentences) {
                if (text.length() > 0) {
                    if (--paragraphLeft == 0) {
                        text.append("\n\n");
                        paragraphLeft = 3 + random.nextInt(4);
                    } else {
                        text.append(' ');
                    }
                }
                int offset = text.length();
                text.append(sentence.text());
                if (sentence.claim() != null) {
                    claims.add(sentence.claim().shift(offset));
                }
                if (sentence.unsafe() != null) {
                    unsafe.add(sentence.unsafe().shift(offset));
                }
            }
            return new GeneratedDocument(id, split, timestamp, text.toString(), new DocumentLabels(claims, unsafe));
        }

        private String pickFocus(Map<Kind, List<String>> pool) {
            double total = 0;
            for (int k = 0; k < FOCUS_KINDS.length; k++) {
                total += pool.get(FOCUS_KINDS[k]).isEmpty() ? 0 : FOCUS_WEIGHTS[k];
            }
            double draw = random.nextDouble() * total;
            List<String> chosen = List.of();
            for (int k = 0; k < FOCUS_KINDS.length && draw >= 0; k++) {
                List<String> names = pool.get(FOCUS_KINDS[k]);
                if (!names.isEmpty()) {
                    chosen = names;
                    draw -= FOCUS_WEIGHTS[k];
                }
            }
            return pick(chosen);
        }

        private <T> T pick(List<T> options) {
            return options.get(random.nextInt(options.size()));
        }
    }

    /**
     * One sentence of a draft.
     *
     * @param fact the fact a claim sentence states (null for filler and quotations)
     * @param claim its label relative to the sentence (null unless a claim)
     * @param unsafe the unsafe span relative to the sentence (null unless an unsafe quotation)
     */
    private record Sentence(String text, Fact fact, ClaimLabel claim, UnsafeSpanLabel unsafe) {
        boolean isFalse() {
            return claim != null && claim.isFalse();
        }

        int wordCount() {
            int words = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == ' ') {
                    words++;
                }
            }
            return words;
        }
    }
}
