/** Trainers, optimizers, learning-rate schedules and evaluation. */
module org.rlhf4j.algorithms {
    requires transitive org.rlhf4j.api;
    requires transitive org.rlhf4j.models;
    requires transitive org.rlhf4j.data;
    requires org.slf4j;
    requires com.google.gson;

    exports org.rlhf4j.algorithms.optim;
    exports org.rlhf4j.algorithms.parallel;
    exports org.rlhf4j.algorithms.reward;
    exports org.rlhf4j.algorithms.eval;
    exports org.rlhf4j.algorithms.policy;
    exports org.rlhf4j.algorithms.policy.dpo;
    exports org.rlhf4j.algorithms.regression;
    exports org.rlhf4j.algorithms.checkpoint;
    exports org.rlhf4j.algorithms.policy.online;

    // A module may declare only one 'provides' per service: list every policy optimizer here.
    provides org.rlhf4j.api.policy.PolicyOptimizer with
            org.rlhf4j.algorithms.policy.dpo.DpoOptimizer,
            org.rlhf4j.algorithms.policy.dpo.IpoOptimizer,
            org.rlhf4j.algorithms.policy.dpo.MarginDpoOptimizer,
            org.rlhf4j.algorithms.policy.dpo.ScaledDpoOptimizer,
            org.rlhf4j.algorithms.policy.online.PpoOptimizer,
            org.rlhf4j.algorithms.policy.online.ReinforceOptimizer;
}
