/**
 * Evaluation of reward models: RewardBench scoring and reports, the LLMBar to RewardBench
 * converter, and PNG plots of training curves and reward margins.
 *
 * <p>Plots are drawn on a {@link java.awt.image.BufferedImage} with Java2D and written with
 * {@link javax.imageio.ImageIO}, which works without a display; this module sets no system
 * property. {@code java.desktop} is required transitively because the plot API returns
 * {@code BufferedImage}.
 */
module org.rlhf4j.evaluation {
    requires transitive org.rlhf4j.api;
    requires transitive java.desktop;
    requires org.rlhf4j.data;
    requires com.google.gson;
    requires org.slf4j;

    exports org.rlhf4j.evaluation.rewardbench;
    exports org.rlhf4j.evaluation.plot;
    // Atomic file writing, shared with the modules that write reports; not part of the public API.
    exports org.rlhf4j.evaluation.internal to org.rlhf4j.cli, org.rlhf4j.pipeline;
}
