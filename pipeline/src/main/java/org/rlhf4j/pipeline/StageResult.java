package org.rlhf4j.pipeline;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a stage produced.
 *
 * @param stage the stage name
 * @param modelDirectory the saved reward model
 * @param metrics measurements of the stage, such as first and last loss; values are numbers or strings
 */
public record StageResult(String stage, Path modelDirectory, Map<String, Object> metrics) {

    public StageResult {
        metrics = Map.copyOf(metrics);
    }
}
