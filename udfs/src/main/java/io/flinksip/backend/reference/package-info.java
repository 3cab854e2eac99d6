/**
 * REFERENCE judges for the reference world ({@link io.flinksip.world}): deterministic, local, instant, and checkable
 * against the world's labels. They stand in for the paper's LLM judges in the embedded default and in tests; they
 * are lexicon and fact-table lookups plus a small coherence measure, and make no claim about how an LLM judge
 * behaves.
 *
 * <ul>
 *   <li>{@link io.flinksip.backend.reference.LexiconSafetyJudge}: unsafe iff a lexicon phrase (or a phrase cut by the
 *       window's edge) occurs;
 *   <li>{@link io.flinksip.backend.reference.FactTableFactualityJudge}: every stated claim checked against the fact
 *       table;
 *   <li>{@link io.flinksip.backend.reference.CoherenceQualityJudge}: pairwise coherence (fluency, repetition, broken
 *       words, topic), then factuality and safety.
 * </ul>
 *
 * <pre>{@code
 * ReferenceWorld world = ReferenceWorld.generate(WorldConfig.defaults());
 * SafetyJudge safety = new LexiconSafetyJudge(world.lexicon());
 * FactualityJudge factuality = new FactTableFactualityJudge(world.claims());
 * QualityJudge quality = new CoherenceQualityJudge(world);
 * }</pre>
 */
package io.flinksip.backend.reference;
