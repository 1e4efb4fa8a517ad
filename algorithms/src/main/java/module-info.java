/** Trainers, optimizers, learning-rate schedules and evaluation. */
module org.rlhf4j.algorithms {
    requires transitive org.rlhf4j.api;
    requires transitive org.rlhf4j.models;
    requires transitive org.rlhf4j.data;
    requires org.slf4j;

    exports org.rlhf4j.algorithms.optim;
    exports org.rlhf4j.algorithms.reward;
    exports org.rlhf4j.algorithms.eval;
}
