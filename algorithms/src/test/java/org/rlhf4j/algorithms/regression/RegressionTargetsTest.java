package org.rlhf4j.algorithms.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.models.reward.RewardHeadSpec;

class RegressionTargetsTest {

    private static RatedResponse rated(Map<String, Double> ratings) {
        return new RatedResponse("x", List.of(Turn.user("q")), "a", ratings);
    }

    private static final RatedResponse FULL = rated(Map.of("helpfulness", 3.0, "correctness", 4.0,
            "coherence", 4.0, "complexity", 2.0, "verbosity", 1.0));

    @Test
    void helpSteer2LabelsEverySlot() {
        RegressionTargets.Labels labels = RegressionTargets.helpSteer2().labels(FULL);

        assertThat(labels.values()).containsExactly(3f, 4f, 4f, 2f, 1f);
        assertThat(labels.mask()).containsExactly(1f, 1f, 1f, 1f, 1f);
    }

    @Test
    void helpfulnessOnlyMasksOtherSlots() {
        RegressionTargets targets = RegressionTargets.helpSteer2HelpfulnessOnly();

        RegressionTargets.Labels labels = targets.labels(FULL);

        assertThat(targets.attributes()).containsExactly("helpfulness", "correctness", "coherence", "complexity",
                "verbosity");
        assertThat(labels.values()).containsExactly(3f, 0f, 0f, 0f, 0f);
        assertThat(labels.mask()).containsExactly(1f, 0f, 0f, 0f, 0f);
        assertThat(labels.labelledCount()).isEqualTo(1);
    }

    @Test
    void headSpecReadsHelpfulness() {
        RewardHeadSpec head = RegressionTargets.helpSteer2HelpfulnessOnly().headSpec();

        assertThat(head.outputs()).isEqualTo(5);
        assertThat(head.rewardIndex()).isEqualTo(0);
        assertThat(head.attributes().get(head.rewardIndex())).isEqualTo("helpfulness");
    }

    @Test
    void helpfulnessIsRewardWhereverItSits() {
        RegressionTargets targets = RegressionTargets.of(List.of("quality", "toxicity", "helpfulness"));

        assertThat(targets.rewardIndex()).isEqualTo(2);
        assertThat(targets.rewardAttribute()).isEqualTo("helpfulness");
    }

    @Test
    void firstTrainedSlotIsRewardWithoutHelpfulness() {
        RegressionTargets targets =
                RegressionTargets.builder().attributes(List.of("humor", "quality")).trainOnly(List.of("quality"))
                        .build();

        assertThat(targets.rewardAttribute()).isEqualTo("quality");
    }

    @Test
    void rewardAttributeCanBeChosen() {
        RegressionTargets targets = RegressionTargets.builder().attributes(List.of("helpfulness", "quality"))
                .rewardAttribute("quality").build();

        assertThat(targets.rewardIndex()).isEqualTo(1);
    }

    @Test
    void scaleAndOffsetMapRatings() {
        RegressionTargets targets = RegressionTargets.builder().attribute("quality", 4.0, -1.0).build();

        RegressionTargets.Labels labels = targets.labels(rated(Map.of("quality", 0.75)));

        assertThat(labels.values()).containsExactly(2f);
        assertThat(targets.targets().get(0).toRating(2.0)).isEqualTo(0.75);
    }

    @Test
    void missingRatingIsUnlabelled() {
        RegressionTargets.Labels labels =
                RegressionTargets.helpSteer2().labels(rated(Map.of("helpfulness", 2.0, "verbosity", 0.0)));

        assertThat(labels.mask()).containsExactly(1f, 0f, 0f, 0f, 1f);
        assertThat(labels.values()).containsExactly(2f, 0f, 0f, 0f, 0f);
    }

    @Test
    void trainingOnlyKeepsSlots() {
        RegressionTargets targets = RegressionTargets.helpSteer2().trainingOnly(List.of("coherence"));

        assertThat(targets.size()).isEqualTo(5);
        assertThat(targets.labels(FULL).mask()).containsExactly(0f, 0f, 1f, 0f, 0f);
        assertThat(targets.rewardAttribute()).isEqualTo("helpfulness");
    }

    @Test
    void nonFiniteTrainedRatingIsRejected() {
        RatedResponse bad = rated(Map.of("helpfulness", Double.NaN));

        assertThatThrownBy(() -> RegressionTargets.helpSteer2().labels(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Record x has rating NaN for 'helpfulness'");
    }

    @Test
    void invalidTargetsAreRejected() {
        assertThatThrownBy(() -> RegressionTargets.of(List.of()))
                .hasMessageContaining("at least one attribute");
        assertThatThrownBy(() -> RegressionTargets.of(List.of("a", "a")))
                .hasMessageContaining("Attribute 'a' appears twice");
        assertThatThrownBy(() -> RegressionTargets.builder().attribute("a", 0, 0))
                .hasMessageContaining("scale of 'a' must be finite and not 0, got 0.0");
        assertThatThrownBy(() -> RegressionTargets.builder().attributes(List.of("a")).trainOnly(List.of("b")).build())
                .hasMessageContaining("trainOnly names unknown attribute 'b'");
        assertThatThrownBy(() -> RegressionTargets.builder().attributes(List.of("a")).rewardAttribute("b").build())
                .hasMessageContaining("Reward attribute 'b' is not one of [a]");
        assertThatThrownBy(() -> RegressionTargets.builder().attributes(List.of("a")).trainOnly(List.of()).build())
                .hasMessageContaining("At least one of the attributes [a] must be trained");
    }
}
