package org.rlhf4j.pipeline.recipe;

import java.util.Locale;

/** What a training stage of a recipe learns from. */
public enum StageKind {
    /** Per-attribute ratings, trained with a regression loss. */
    REGRESSION,
    /** Preference pairs, trained with a Bradley-Terry-family loss. */
    PAIRWISE;

    static StageKind parse(String source, String key, String value) {
        for (StageKind kind : values()) {
            if (kind.name().toLowerCase(Locale.ROOT).equals(value)) {
                return kind;
            }
        }
        throw new RecipeFormatException(source, key, "expected 'regression' or 'pairwise', got '" + value + "'");
    }
}
