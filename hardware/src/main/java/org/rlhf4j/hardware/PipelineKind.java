package org.rlhf4j.hardware;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The training pipelines of rlhf4j with the models each keeps in GPU memory. */
public enum PipelineKind {
    /** A reward model trained by regression on ratings: one trainable reward model. */
    REWARD("reward", "reward model trained by regression on ratings"),
    /** A Bradley-Terry reward model trained on preference pairs: one trainable reward model. */
    BT("bt", "Bradley-Terry reward model trained on preference pairs"),
    /** DPO: a trainable policy and its frozen reference. */
    DPO("dpo", "DPO: trainable policy and frozen reference"),
    /** REINFORCE (RLOO): a generating, trainable policy, its frozen reference and a frozen reward model. */
    REINFORCE("reinforce", "REINFORCE: generating policy, frozen reference and reward model"),
    /** PPO: a generating, trainable policy, frozen reference and reward models, and a trainable critic. */
    PPO("ppo", "PPO: generating policy, trainable critic, frozen reference and reward model");

    private final String label;
    private final String description;

    PipelineKind(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** Returns the name used on the command line, such as {@code "ppo"}. */
    public String label() {
        return label;
    }

    /** Returns one line that lists the pipeline's roles. */
    public String description() {
        return description;
    }

    /**
     * Lists the pipeline's roles in the order policy, reference, reward, critic.
     *
     * @param shapeOf the model of each role
     * @param sequenceLength tokens per sequence, prompt and response together
     * @param microBatch sequences per forward pass
     * @return the roles
     */
    public List<RoleSpec> roles(Function<ModelRole, ModelShape> shapeOf, int sequenceLength, int microBatch) {
        Objects.requireNonNull(shapeOf, "shapeOf");
        List<RoleSpec> roles = new ArrayList<>();
        switch (this) {
            case REWARD, BT -> roles.add(RoleSpec.of(ModelRole.REWARD, shapeOf.apply(ModelRole.REWARD),
                    sequenceLength, microBatch).withTrainable(true));
            case DPO -> {
                roles.add(RoleSpec.of(ModelRole.POLICY, shapeOf.apply(ModelRole.POLICY), sequenceLength, microBatch));
                roles.add(RoleSpec.of(ModelRole.REFERENCE, shapeOf.apply(ModelRole.REFERENCE), sequenceLength,
                        microBatch));
            }
            case REINFORCE, PPO -> {
                roles.add(RoleSpec.of(ModelRole.POLICY, shapeOf.apply(ModelRole.POLICY), sequenceLength, microBatch)
                        .withGenerates(true));
                roles.add(RoleSpec.of(ModelRole.REFERENCE, shapeOf.apply(ModelRole.REFERENCE), sequenceLength,
                        microBatch));
                roles.add(RoleSpec.of(ModelRole.REWARD, shapeOf.apply(ModelRole.REWARD), sequenceLength, microBatch));
                if (this == PPO) {
                    roles.add(RoleSpec.of(ModelRole.CRITIC, shapeOf.apply(ModelRole.CRITIC), sequenceLength,
                            microBatch));
                }
            }
            default -> throw new IllegalStateException("Unhandled pipeline " + this);
        }
        return List.copyOf(roles);
    }

    /**
     * Lists the roles the pipeline has, in the order of {@link #roles(Function, int, int)}.
     *
     * @return the roles
     */
    public List<ModelRole> modelRoles() {
        return roles(role -> ModelShape.LLAMA_3_1_8B, 1, 1).stream().map(RoleSpec::role).toList();
    }

    /**
     * Lists the pipeline's roles, all with one model.
     *
     * @param shape the model of every role
     * @param sequenceLength tokens per sequence
     * @param microBatch sequences per forward pass
     * @return the roles
     */
    public List<RoleSpec> roles(ModelShape shape, int sequenceLength, int microBatch) {
        Objects.requireNonNull(shape, "shape");
        return roles(role -> shape, sequenceLength, microBatch);
    }

    /**
     * Looks a pipeline up by its label, ignoring case.
     *
     * @param label such as {@code "ppo"}
     * @return the pipeline
     * @throws IllegalArgumentException when no pipeline has that label. The message lists the labels.
     */
    public static PipelineKind fromLabel(String label) {
        for (PipelineKind kind : values()) {
            if (kind.label.equals(label == null ? null : label.trim().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        String known = Arrays.stream(values()).map(PipelineKind::label).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("Unknown pipeline '" + label + "'. Known pipelines: " + known);
    }
}
