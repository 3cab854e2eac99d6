package io.flinksip.world;

import java.util.ArrayList;
import java.util.List;

/**
 * The world's catalogue of claim sentences: three TRAIN and two HELD_OUT templates per relation. Templates are
 * written so that no sentence of one template can be read as another (checked by the tests), every template ends
 * with a full stop, professions are stated with "a" only (every generated profession starts with a consonant, so a
 * corrected value never needs a different article), and rivers always come with "the" or "river".
 */
public final class ClaimTemplates {
    private static final List<ClaimTemplate> ALL = build();

    private ClaimTemplates() {
    }

    /** Every template, TRAIN and HELD_OUT, in a fixed order. */
    public static List<ClaimTemplate> all() {
        return ALL;
    }

    /** The templates of one phrasing set. */
    public static List<ClaimTemplate> of(Phrasing phrasing) {
        return ALL.stream().filter(t -> t.phrasing() == phrasing).toList();
    }

    /** The templates of one phrasing set for one relation. */
    public static List<ClaimTemplate> of(Phrasing phrasing, Relation relation) {
        return ALL.stream().filter(t -> t.phrasing() == phrasing && t.relation() == relation).toList();
    }

    private static List<ClaimTemplate> build() {
        List<ClaimTemplate> t = new ArrayList<>();
        add(t, Relation.BORN_IN,
                new String[] {"{e} was born in {v}.", "Born in {v}, {e} spent a childhood by the river there.",
                    "The birthplace of {e} is {v}."},
                new String[] {"{e} came into the world in the town of {v}.", "{v} is the hometown of {e}."});
        add(t, Relation.PROFESSION,
                new String[] {"{e} works as a {v}.", "By trade, {e} is a {v}.", "{e} earns a living as a {v}."},
                new String[] {"{e} has made a career as a {v}.", "People know {e} as a {v} by profession."});
        add(t, Relation.WORKS_FOR,
                new String[] {"{e} works for {v}.", "{e} is employed by {v}.", "The employer of {e} is {v}."},
                new String[] {"{e} draws a salary from {v}.", "{v} counts {e} among its staff."});
        add(t, Relation.LOCATED_IN,
                new String[] {"{e} is a town in {v}.", "The town of {e} lies in {v}.", "{e} is located in {v}."},
                new String[] {"{e} belongs to the country of {v}.",
                    "Within the borders of {v} lies the town of {e}."});
        add(t, Relation.FOUNDED_YEAR,
                new String[] {"{e} was founded in {v}.", "The town of {e} dates from {v}.",
                    "Settlers founded {e} in the year {v}."},
                new String[] {"{e} has stood since its founding in {v}.", "The founding of {e} took place in {v}."});
        add(t, Relation.HEADQUARTERED_IN,
                new String[] {"{e} is headquartered in {v}.", "The head office of {e} is in {v}.",
                    "{e} runs its business from {v}."},
                new String[] {"{e} keeps its main offices in {v}.", "In {v} stands the headquarters of {e}."});
        add(t, Relation.INDUSTRY,
                new String[] {"{e} is a company in the {v} business.", "{e} makes its money in {v}.",
                    "The trade of {e} is {v}."},
                new String[] {"{e} operates in the {v} sector.", "Most of the revenue of {e} comes from {v}."});
        add(t, Relation.FLOWS_THROUGH,
                new String[] {"The river {e} flows through {v}.", "The {e} is a river in {v}.",
                    "The waters of the {e} cross {v}."},
                new String[] {"The course of the {e} runs through {v}.", "{v} is crossed by the river {e}."});
        add(t, Relation.LENGTH_KM,
                new String[] {"The river {e} is {v} kilometres long.", "The {e} runs for {v} kilometres.",
                    "The length of the {e} is {v} kilometres."},
                new String[] {"From source to mouth the {e} measures {v} kilometres.",
                    "The {e} stretches {v} kilometres in all."});
        add(t, Relation.CAPITAL,
                new String[] {"The capital of {e} is {v}.", "{v} is the capital of {e}.",
                    "{e} is governed from its capital, {v}."},
                new String[] {"The seat of government of {e} is in {v}.", "{e} has {v} as its capital city."});
        add(t, Relation.OFFICIAL_LANGUAGE,
                new String[] {"The official language of {e} is {v}.", "People in {e} speak {v}.",
                    "{v} is the language of {e}."},
                new String[] {"Most citizens of {e} converse in {v}.", "Schools in {e} teach in {v}."});
        return List.copyOf(t);
    }

    private static void add(List<ClaimTemplate> templates, Relation relation, String[] train, String[] heldOut) {
        for (String text : train) {
            templates.add(new ClaimTemplate(relation, Phrasing.TRAIN, text));
        }
        for (String text : heldOut) {
            templates.add(new ClaimTemplate(relation, Phrasing.HELD_OUT, text));
        }
    }
}
