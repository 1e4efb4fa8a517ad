package org.rlhf4j.algorithms.checkpoint;

import java.nio.file.Path;
import org.rlhf4j.algorithms.reward.RewardTrainer;
import org.rlhf4j.algorithms.toy.SoftplusBtLoss;
import org.rlhf4j.algorithms.toy.ToyRewardModel;

/**
 * Main class of the child JVM of {@link KilledRunResumeTest}: trains {@link KilledRun} with a
 * checkpoint after every step and, once step {@code stopStep + 1} has run, waits without writing
 * its checkpoint until the parent kills the process.
 *
 * <p>Arguments: the checkpoint root and {@code stopStep}.
 */
public final class CheckpointingChild {

    private CheckpointingChild() {}

    /**
     * Runs the child.
     *
     * @param args checkpoint root, last step whose checkpoint is written
     * @throws Exception when training fails
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        long stopStep = Long.parseLong(args[1]);
        try (ToyRewardModel model = KilledRun.model();
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), KilledRun.config())) {
            trainer.checkpointEvery(1, root, 100);
            trainer.addListener(metrics -> {
                if (metrics.step() == stopStep + 1) {
                    waitForKill(metrics.step());
                }
            });
            trainer.train(KilledRun.pairs());
        }
        System.out.println("Child finished without being killed");
    }

    private static void waitForKill(long step) {
        System.out.println("Child ran step " + step + " and now waits to be killed");
        System.out.flush();
        while (true) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
