package org.rlhf4j.pipeline;

import java.io.IOException;

/**
 * One step of a {@link RewardPipeline}: it trains, combines or otherwise produces a reward model and saves
 * it under the pipeline's output folder.
 */
public interface Stage {

    /** Returns the stage name, unique within its pipeline; later stages refer to the model by it. */
    String name();

    /**
     * Runs the stage.
     *
     * @param context the base model, plugins, earlier stage outputs and output folder
     * @return the saved model and the stage's measurements
     * @throws IOException when reading data or writing the model fails
     */
    StageResult run(PipelineContext context) throws IOException;
}
