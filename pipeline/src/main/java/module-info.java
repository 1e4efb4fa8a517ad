/** Fluent pipeline builder and recipe presets that chain reward-model training, extrapolation and evaluation. */
module org.rlhf4j.pipeline {
    requires transitive org.rlhf4j.api;
    requires transitive org.rlhf4j.algorithms;
    requires org.rlhf4j.plugins;
    requires transitive org.rlhf4j.hardware;
    requires org.rlhf4j.evaluation;
    requires com.google.gson;
    requires org.slf4j;

    exports org.rlhf4j.pipeline;
    exports org.rlhf4j.pipeline.recipe;
}
