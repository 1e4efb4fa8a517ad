/** Built-in reward and regression losses, each a plugin of {@code org.rlhf4j.api}. */
module org.rlhf4j.losses {
    requires transitive org.rlhf4j.api;

    exports org.rlhf4j.losses;

    provides org.rlhf4j.api.loss.RewardLoss with
            org.rlhf4j.losses.BradleyTerryLoss,
            org.rlhf4j.losses.MarginBradleyTerryLoss,
            org.rlhf4j.losses.ScaledBradleyTerryLoss;
    provides org.rlhf4j.api.loss.RegressionLoss with
            org.rlhf4j.losses.MaskedMseLoss;
}
