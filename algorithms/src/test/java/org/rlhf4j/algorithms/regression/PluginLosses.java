package org.rlhf4j.algorithms.regression;

import java.lang.reflect.InvocationTargetException;
import org.rlhf4j.api.loss.RegressionLoss;
import org.rlhf4j.api.loss.RewardLoss;

/**
 * Creates the built-in losses of the losses module for tests. Under surefire the patched test
 * module does not read that module, so a direct reference fails with IllegalAccessError. Core
 * reflection needs no read edge, so the classes are instantiated by name.
 */
final class PluginLosses {

    private PluginLosses() {
    }

    /** Returns the masked MSE plugin {@code regression}. */
    static RegressionLoss regression() {
        return (RegressionLoss) create("org.rlhf4j.losses.MaskedMseLoss");
    }

    /** Returns the pairwise plugin {@code scaled-bt}. */
    static RewardLoss scaledBt() {
        return (RewardLoss) create("org.rlhf4j.losses.ScaledBradleyTerryLoss");
    }

    /**
     * Returns a pairwise loss of the losses module.
     *
     * @param simpleName the class name in {@code org.rlhf4j.losses}, such as {@code BradleyTerryLoss}
     */
    static RewardLoss pairwise(String simpleName) {
        return (RewardLoss) create("org.rlhf4j.losses." + simpleName);
    }

    private static Object create(String className) {
        try {
            return Class.forName(className).getConstructor().newInstance();
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                | InvocationTargetException e) {
            throw new IllegalStateException("Cannot create " + className + " from the losses module", e);
        }
    }
}
