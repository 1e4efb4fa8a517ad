package org.rlhf4j.plugins;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.device.DeviceBackend;
import org.rlhf4j.api.loss.RegressionLoss;
import org.rlhf4j.api.loss.RewardLoss;
import org.rlhf4j.api.policy.PolicyOptimizer;

/** The service interfaces a plugin can implement, each with the label users see. */
public enum PluginKind {
    /** Pairwise reward-model losses, {@link RewardLoss}. */
    REWARD_LOSS("reward-loss", RewardLoss.class),
    /** Attribute regression losses, {@link RegressionLoss}. */
    REGRESSION_LOSS("regression-loss", RegressionLoss.class),
    /** Policy optimization algorithms, {@link PolicyOptimizer}. */
    POLICY_OPTIMIZER("policy-optimizer", PolicyOptimizer.class),
    /** Readers of data-set formats, {@link DataSource}. */
    DATA_SOURCE("data-source", DataSource.class),
    /** Kinds of compute device, {@link DeviceBackend}. */
    DEVICE_BACKEND("device-backend", DeviceBackend.class);

    private final String label;
    private final Class<? extends Plugin> type;

    PluginKind(String label, Class<? extends Plugin> type) {
        this.label = label;
        this.type = type;
    }

    /** Returns the lowercase label used in messages and on the command line, such as {@code "reward-loss"}. */
    public String label() {
        return label;
    }

    /** Returns the service interface of this kind. */
    public Class<? extends Plugin> type() {
        return type;
    }

    /**
     * Looks up a kind by its label, ignoring case.
     *
     * @param label a label such as {@code "data-source"}
     * @return the kind
     * @throws IllegalArgumentException when no kind has that label. The message lists the labels.
     */
    public static PluginKind fromLabel(String label) {
        for (PluginKind kind : values()) {
            if (kind.label.equals(label == null ? null : label.trim().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        String known = Arrays.stream(values()).map(PluginKind::label).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("Unknown plugin kind '" + label + "'. Known kinds: " + known);
    }

    @Override
    public String toString() {
        return label;
    }
}
