/**
 * The reference world of flink-sip's embedded default: a seeded, fully synthetic corpus in which every judgement is
 * checkable, because the default has no LLM server to judge with.
 *
 * <ul>
 *   <li>{@link io.flinksip.world.ReferenceWorld} is the entry point: {@code ReferenceWorld.generate(config)} or
 *       {@code ReferenceWorld.load(directory)};
 *   <li>{@link io.flinksip.world.FactTable}: (entity, relation, value) triples about invented persons, towns,
 *       countries, rivers and companies, the ground truth for factuality;
 *       {@link io.flinksip.world.FactTableFile} reads and writes it as {@code facts.tsv};
 *   <li>{@link io.flinksip.world.UnsafeLexicon}: the bundled {@code unsafe-lexicon.txt}, the ground truth for safety;
 *   <li>{@link io.flinksip.world.DocumentGenerator}: prose documents stating the table's facts in TRAIN or HELD_OUT
 *       {@linkplain io.flinksip.world.ClaimTemplates phrasings}, with configurable shares of false statements and
 *       unsafe quotations, labelled ({@link io.flinksip.world.DocumentLabels}) outside the text;
 *   <li>{@link io.flinksip.world.ClaimReader}: finds and checks claims in any text, for the judges and rewriter;
 *   <li>{@link io.flinksip.world.CorpusWriter}: writes splits, labels and fact table as files.
 * </ul>
 *
 * Everything is a function of {@link io.flinksip.world.WorldConfig}: the same config gives the same table, the same
 * documents and byte-identical files.
 */
package io.flinksip.world;
