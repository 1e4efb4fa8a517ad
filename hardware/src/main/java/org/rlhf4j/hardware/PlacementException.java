package org.rlhf4j.hardware;

import java.util.Objects;

/** A pipeline was asked to start on GPUs whose memory cannot hold it. The message explains why. */
public class PlacementException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient PlacementPlan plan;

    /**
     * Creates an exception from a plan that does not fit. The message is the plan's explanation
     * followed by its suggestions.
     *
     * @param plan the plan
     */
    public PlacementException(PlacementPlan plan) {
        super(message(Objects.requireNonNull(plan, "plan")));
        this.plan = plan;
    }

    /** Returns the plan that does not fit, or null after deserialization. */
    public PlacementPlan plan() {
        return plan;
    }

    private static String message(PlacementPlan plan) {
        StringBuilder text = new StringBuilder(plan.explanation());
        if (!plan.suggestions().isEmpty()) {
            text.append(" What would fit: ").append(String.join(" ", plan.suggestions()));
        }
        return text.toString();
    }
}
