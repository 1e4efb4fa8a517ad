/** The rlhf4j command line. */
module org.rlhf4j.cli {
    requires org.rlhf4j.api;
    requires org.rlhf4j.losses;
    requires org.rlhf4j.data;
    requires org.rlhf4j.models;
    requires org.rlhf4j.algorithms;
    requires org.rlhf4j.hardware;
    requires org.rlhf4j.plugins;
    requires org.rlhf4j.evaluation;
    requires org.rlhf4j.pipeline;
    requires org.rlhf4j.cache;
    requires info.picocli;
    requires com.google.gson;
    requires org.slf4j;

    exports org.rlhf4j.cli;
    opens org.rlhf4j.cli to info.picocli;
}
