package org.rlhf4j.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.algorithms.regression.RegressionTargets;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.models.merge.ModelExtrapolation;
import org.rlhf4j.pipeline.recipe.RecipePreset;
import org.rlhf4j.pipeline.recipe.StageSettings;
import org.rlhf4j.pipeline.recipe.StageKind;

/**
 * The variants of the HelpSteer2-Preference reward-model comparison (its Table 1), built from one recipe:
 * regression on all attributes and on helpfulness only; Bradley-Terry, margin BT and scaled BT from the base
 * model and from the helpfulness-only regression model; and scaled BT from regression followed by ExPO.
 * Regression variants use the recipe's regression stage settings, every pairwise variant its pairwise stage
 * settings with the loss replaced.
 */
public final class RecipeGrid {

    /** Table row label of a stage: the model type and the variant. */
    public record Row(String modelType, String variant) {}

    private static final String REGRESSION_ALL = "regression-all";
    private static final String REGRESSION_HELPFULNESS = "regression-helpfulness";

    private final List<Stage> stages = new ArrayList<>();
    private final Map<String, Row> rows = new LinkedHashMap<>();

    private RecipeGrid() {}

    /**
     * Builds the grid.
     *
     * @param recipe a recipe with one regression stage, one pairwise stage and an extrapolation
     * @param rated rated responses for the regression variants
     * @param pairs preference pairs for the pairwise variants
     * @param seed seed of every new head and of the batch order
     * @return the grid
     * @throws IllegalArgumentException when the recipe lacks a regression or pairwise stage or the extrapolation
     */
    public static RecipeGrid of(RecipePreset recipe, List<RatedResponse> rated, List<PreferencePair> pairs, long seed) {
        StageSettings regression = recipe.stages().stream().filter(stage -> stage.kind() == StageKind.REGRESSION)
                .findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "Recipe '" + recipe.name() + "' has no regression stage, which the grid needs"));
        StageSettings pairwise = recipe.stages().stream().filter(stage -> stage.kind() == StageKind.PAIRWISE)
                .findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "Recipe '" + recipe.name() + "' has no pairwise stage, which the grid needs"));
        if (recipe.extrapolation() == null) {
            throw new IllegalArgumentException("Recipe '" + recipe.name() + "' has no extrapolation, which the grid needs");
        }
        RecipeGrid grid = new RecipeGrid();
        RegressionTargets all = RegressionTargets.of(regression.attributes());
        grid.add(RegressionStage.builder(REGRESSION_ALL).targets(all).responses(rated)
                .config(regression.toRegressionConfig(recipe.optimizer(), recipe.maxLength(), seed)).build(),
                new Row("SteerLM Regression", "All attributes (" + all.size() + ")"));
        grid.add(RegressionStage.builder(REGRESSION_HELPFULNESS)
                .targets(all.trainingOnly(List.of(RegressionTargets.HELPFULNESS))).responses(rated)
                .config(regression.toRegressionConfig(recipe.optimizer(), recipe.maxLength(), seed)).build(),
                new Row("SteerLM Regression", "Helpfulness Only"));
        RewardTrainerConfig config = pairwise.toTrainerConfig(recipe.optimizer(), recipe.maxLength(), seed);
        for (String loss : List.of("bt", "margin-bt", "scaled-bt")) {
            grid.add(PairwiseStage.builder(loss).loss(loss).pairs(pairs).config(config).build(),
                    new Row("BT (from scratch)", variant(loss)));
        }
        for (String loss : List.of("bt", "margin-bt", "scaled-bt")) {
            grid.add(PairwiseStage.builder(loss + "-from-regression").loss(loss).initFrom(REGRESSION_HELPFULNESS)
                    .pairs(pairs).config(config).build(),
                    new Row("BT (init. Helpfulness-Only Regression)", variant(loss)));
        }
        ModelExtrapolation.Convention convention = recipe.extrapolation().convention().equals("total-multiplier")
                ? ModelExtrapolation.Convention.TOTAL_MULTIPLIER
                : ModelExtrapolation.Convention.ALPHA;
        grid.add(new ExtrapolationStage("scaled-bt-from-regression-expo", REGRESSION_HELPFULNESS,
                "scaled-bt-from-regression", recipe.extrapolation().factor(), convention),
                new Row("BT (init. Helpfulness-Only Regression)", "Scaled + ExPO"));
        return grid;
    }

    /** Returns the stages in run order. */
    public List<Stage> stages() {
        return List.copyOf(stages);
    }

    /** Returns the table row label of each stage, by stage name. */
    public Map<String, Row> rows() {
        return Map.copyOf(rows);
    }

    /** Returns the table row label of one stage. */
    public Row row(String stage) {
        Row row = rows.get(stage);
        if (row == null) {
            throw new IllegalArgumentException("No stage named '" + stage + "' in the grid; stages are " + rows.keySet());
        }
        return row;
    }

    private void add(Stage stage, Row row) {
        stages.add(stage);
        rows.put(stage.name(), row);
    }

    private static String variant(String loss) {
        return switch (loss) {
            case "bt" -> "Regular";
            case "margin-bt" -> "Margin";
            case "scaled-bt" -> "Scaled";
            default -> loss;
        };
    }
}
