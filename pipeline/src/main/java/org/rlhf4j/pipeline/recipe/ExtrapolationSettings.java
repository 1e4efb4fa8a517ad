package org.rlhf4j.pipeline.recipe;

/**
 * ExPO step of a recipe: {@code theta = theta_strong + alpha (theta_strong - theta_weak)}.
 *
 * @param weak name of the stage whose model is the weak end
 * @param strong name of the stage whose model is the strong end
 * @param factor the extrapolation factor as written in the recipe
 * @param convention {@code alpha} when {@code factor} is alpha itself, or {@code total-multiplier} when it is
 *     the multiplier in {@code theta_weak + factor (theta_strong - theta_weak)}, so alpha = factor - 1
 */
public record ExtrapolationSettings(String weak, String strong, double factor, String convention) {

    /** Returns alpha under the recipe's convention. */
    public double alpha() {
        return convention.equals("total-multiplier") ? factor - 1 : factor;
    }

    static ExtrapolationSettings read(JsonFields fields) {
        String convention = fields.optString("convention", "alpha");
        if (!convention.equals("alpha") && !convention.equals("total-multiplier")) {
            throw new RecipeFormatException(fields.source(), fields.key("convention"),
                    "expected 'alpha' or 'total-multiplier', got '" + convention + "'");
        }
        ExtrapolationSettings settings = new ExtrapolationSettings(fields.string("weak"), fields.string("strong"),
                fields.number("factor", -100, 100), convention);
        fields.rejectUnknownKeys();
        return settings;
    }
}
