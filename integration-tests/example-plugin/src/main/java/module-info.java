/**
 * An example third-party rlhf4j plugin: the {@code hinge} reward loss and the {@code tsv-pairs}
 * data source. It needs only the rlhf4j SPI ({@code org.rlhf4j.api}), which also brings DJL's API.
 */
module com.example.rlhf4j.plugin {
    requires org.rlhf4j.api;

    provides org.rlhf4j.api.loss.RewardLoss with com.example.rlhf4j.plugin.HingeLoss;
    provides org.rlhf4j.api.data.DataSource with com.example.rlhf4j.plugin.TsvPairsSource;
}
