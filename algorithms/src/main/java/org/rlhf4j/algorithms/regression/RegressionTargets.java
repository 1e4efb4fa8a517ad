package org.rlhf4j.algorithms.regression;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.models.reward.RewardHeadSpec;

/**
 * The attributes a regression reward model predicts: one head slot per attribute, in order, with
 * per-attribute scaling and a choice of which slots are trained. The attribute set is data, so
 * the same trainer learns HelpSteer2's five 0..4 ratings, OpenAssistant's 0..1 label means or any
 * other named ratings.
 *
 * <p>A slot's target is {@code scale * rating + offset}. A slot is labelled for a response when it
 * is trained and the response has a rating for its attribute. Only labelled slots reach the loss.
 * An untrained slot keeps its head output (the head still has one output per attribute) but never
 * gets a label, so "helpfulness only" training is {@link #helpSteer2HelpfulnessOnly()}: the five
 * HelpSteer2 slots with only {@code helpfulness} labelled, as in NeMo-Aligner, where the other
 * slots hold the ignore value -100.
 *
 * <p>The reward slot, read by {@link org.rlhf4j.models.reward.RewardModel#reward} and by pairwise
 * training started from the regression model, is {@code helpfulness} when that attribute is
 * present and otherwise the first trained attribute, unless {@link Builder#rewardAttribute} names
 * another.
 *
 * @param targets the slots, in head output order
 * @param rewardIndex the slot used as the scalar reward
 */
public record RegressionTargets(List<Target> targets, int rewardIndex) {

    /** HelpSteer2's rated attributes, each an integer from 0 to 4, in the order of its data files. */
    public static final List<String> HELPSTEER2_ATTRIBUTES =
            List.of("helpfulness", "correctness", "coherence", "complexity", "verbosity");

    /** The attribute that serves as the reward when present. */
    public static final String HELPFULNESS = "helpfulness";

    /**
     * One head slot.
     *
     * @param attribute the rating name, as in {@link RatedResponse#ratings()}
     * @param trained whether the slot gets labels
     * @param scale factor from rating to target, finite and not 0
     * @param offset added to the scaled rating, finite
     */
    public record Target(String attribute, boolean trained, double scale, double offset) {

        public Target {
            if (attribute == null || attribute.isBlank()) {
                throw new IllegalArgumentException("attribute name must not be blank, got '" + attribute + "'");
            }
            if (!Double.isFinite(scale) || scale == 0) {
                throw new IllegalArgumentException("scale of '" + attribute + "' must be finite and not 0, got "
                        + scale);
            }
            if (!Double.isFinite(offset)) {
                throw new IllegalArgumentException("offset of '" + attribute + "' must be finite, got " + offset);
            }
        }

        /** Returns the target for a rating: {@code scale * rating + offset}. */
        public double toTarget(double rating) {
            return scale * rating + offset;
        }

        /** Returns the rating for a target, the inverse of {@link #toTarget}. */
        public double toRating(double target) {
            return (target - offset) / scale;
        }
    }

    /**
     * Labels of one response, both arrays with one entry per slot.
     *
     * @param values the target of each labelled slot, 0 in unlabelled slots
     * @param mask 1 in labelled slots and 0 elsewhere
     */
    public record Labels(float[] values, float[] mask) {

        /** Returns the number of labelled slots. */
        public int labelledCount() {
            int count = 0;
            for (float flag : mask) {
                count += flag != 0 ? 1 : 0;
            }
            return count;
        }
    }

    public RegressionTargets {
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("Regression targets need at least one attribute");
        }
        Set<String> names = new HashSet<>();
        for (Target target : targets) {
            if (!names.add(target.attribute())) {
                throw new IllegalArgumentException("Attribute '" + target.attribute() + "' appears twice in "
                        + attributeNames(targets));
            }
        }
        if (targets.stream().noneMatch(Target::trained)) {
            throw new IllegalArgumentException("At least one of the attributes " + attributeNames(targets)
                    + " must be trained");
        }
        if (rewardIndex < 0 || rewardIndex >= targets.size()) {
            throw new IllegalArgumentException("rewardIndex " + rewardIndex + " is outside the " + targets.size()
                    + " attributes " + attributeNames(targets));
        }
    }

    /** Returns HelpSteer2's five attributes, all trained, unscaled, with helpfulness as the reward. */
    public static RegressionTargets helpSteer2() {
        return of(HELPSTEER2_ATTRIBUTES);
    }

    /**
     * Returns HelpSteer2's five slots with only helpfulness trained, the "Helpfulness Only"
     * regression model.
     */
    public static RegressionTargets helpSteer2HelpfulnessOnly() {
        return builder().attributes(HELPSTEER2_ATTRIBUTES).trainOnly(List.of(HELPFULNESS)).build();
    }

    /**
     * Returns unscaled targets for the given attributes, all trained.
     *
     * @param attributes the attribute names in head order, at least one, no repeats
     * @return the targets
     */
    public static RegressionTargets of(List<String> attributes) {
        return builder().attributes(attributes).build();
    }

    /** Returns an empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the attribute names in head order. */
    public List<String> attributes() {
        return attributeNames(targets);
    }

    /** Returns the number of slots. */
    public int size() {
        return targets.size();
    }

    /** Returns the slot of an attribute, or -1 when it has none. */
    public int indexOf(String attribute) {
        return attributes().indexOf(attribute);
    }

    /** Returns the name of the reward attribute. */
    public String rewardAttribute() {
        return targets.get(rewardIndex).attribute();
    }

    /** Returns the head a model needs for these targets: one output per attribute and the reward slot. */
    public RewardHeadSpec headSpec() {
        return new RewardHeadSpec(attributes(), rewardIndex);
    }

    /**
     * Returns a copy in which only the given attributes are trained.
     *
     * @param attributes the attributes to train, each one of {@link #attributes()}
     * @return the new targets, with the same slots, scales and reward slot
     * @throws IllegalArgumentException when an attribute has no slot or none is given
     */
    public RegressionTargets trainingOnly(Collection<String> attributes) {
        requireKnown(attributes);
        List<Target> copy = new ArrayList<>();
        for (Target target : targets) {
            copy.add(new Target(target.attribute(), attributes.contains(target.attribute()), target.scale(),
                    target.offset()));
        }
        return new RegressionTargets(copy, rewardIndex);
    }

    /**
     * Computes the labels of one response.
     *
     * @param response the rated response
     * @return targets and mask, one entry per slot
     * @throws IllegalArgumentException when a rating of a trained attribute is NaN or infinite
     */
    public Labels labels(RatedResponse response) {
        float[] values = new float[targets.size()];
        float[] mask = new float[targets.size()];
        Map<String, Double> ratings = response.ratings();
        for (int slot = 0; slot < targets.size(); slot++) {
            Target target = targets.get(slot);
            Double rating = ratings.get(target.attribute());
            if (!target.trained() || rating == null) {
                continue;
            }
            if (!Double.isFinite(rating)) {
                throw new IllegalArgumentException("Record " + response.id() + " has rating " + rating + " for '"
                        + target.attribute() + "'; expected a finite number");
            }
            values[slot] = (float) target.toTarget(rating);
            mask[slot] = 1f;
        }
        return new Labels(values, mask);
    }

    private void requireKnown(Collection<String> attributes) {
        if (attributes.isEmpty()) {
            throw new IllegalArgumentException("Name at least one attribute to train, from " + attributes());
        }
        for (String attribute : attributes) {
            if (indexOf(attribute) < 0) {
                throw new IllegalArgumentException("Unknown attribute '" + attribute + "'; expected one of "
                        + attributes());
            }
        }
    }

    private static List<String> attributeNames(List<Target> targets) {
        return targets.stream().map(Target::attribute).toList();
    }

    /**
     * Collects the slots of a {@link RegressionTargets}. Attributes are trained and unscaled unless
     * set otherwise; the reward follows the rule of the class comment unless
     * {@link #rewardAttribute} is called.
     */
    public static final class Builder {

        private final List<Target> targets = new ArrayList<>();
        private Set<String> trainOnly;
        private String rewardAttribute;

        private Builder() {}

        /** Adds trained, unscaled slots for the given attributes, in order. */
        public Builder attributes(List<String> names) {
            for (String name : names) {
                attribute(name);
            }
            return this;
        }

        /** Adds a trained, unscaled slot. */
        public Builder attribute(String name) {
            return attribute(name, 1.0, 0.0);
        }

        /**
         * Adds a trained slot whose target is {@code scale * rating + offset}, for example scale 4
         * to put 0..1 label means on HelpSteer2's 0..4 scale.
         *
         * @param name the attribute name
         * @param scale finite and not 0
         * @param offset finite
         * @return this builder
         */
        public Builder attribute(String name, double scale, double offset) {
            targets.add(new Target(name, true, scale, offset));
            return this;
        }

        /** Trains only the named attributes; every other slot stays in the head without labels. */
        public Builder trainOnly(Collection<String> names) {
            this.trainOnly = new LinkedHashSet<>(Objects.requireNonNull(names, "names"));
            return this;
        }

        /** Sets the attribute whose slot is the scalar reward. */
        public Builder rewardAttribute(String name) {
            this.rewardAttribute = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Validates the slots and creates the targets.
         *
         * @return the targets
         * @throws IllegalArgumentException when there is no attribute, a name repeats, no slot is
         *     trained, or {@code trainOnly} or the reward names an attribute without a slot
         */
        public RegressionTargets build() {
            List<Target> slots = new ArrayList<>(targets);
            List<String> names = attributeNames(slots);
            if (trainOnly != null) {
                for (String name : trainOnly) {
                    if (!names.contains(name)) {
                        throw new IllegalArgumentException("trainOnly names unknown attribute '" + name
                                + "'; expected one of " + names);
                    }
                }
                slots.replaceAll(t -> new Target(t.attribute(), trainOnly.contains(t.attribute()), t.scale(),
                        t.offset()));
            }
            return new RegressionTargets(slots, rewardIndex(slots, names));
        }

        private int rewardIndex(List<Target> slots, List<String> names) {
            if (rewardAttribute != null) {
                int index = names.indexOf(rewardAttribute);
                if (index < 0) {
                    throw new IllegalArgumentException("Reward attribute '" + rewardAttribute + "' is not one of "
                            + names);
                }
                return index;
            }
            if (names.contains(HELPFULNESS)) {
                return names.indexOf(HELPFULNESS);
            }
            for (int i = 0; i < slots.size(); i++) {
                if (slots.get(i).trained()) {
                    return i;
                }
            }
            return 0;
        }
    }
}
