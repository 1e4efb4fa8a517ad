package org.rlhf4j.pipeline;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.plugins.PluginRegistry;

/**
 * Shared state of a pipeline run: the base model, the plugin registry, the chat template, the seed, the
 * output folder and the models that earlier stages saved.
 */
public final class PipelineContext {

    private final Path baseModel;
    private final PluginRegistry plugins;
    private final ChatTemplate template;
    private final long seed;
    private final Path outputDirectory;
    private final Map<String, StageResult> results = new LinkedHashMap<>();

    PipelineContext(Path baseModel, PluginRegistry plugins, ChatTemplate template, long seed, Path outputDirectory) {
        this.baseModel = Objects.requireNonNull(baseModel, "baseModel");
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.template = Objects.requireNonNull(template, "template");
        this.seed = seed;
        this.outputDirectory = Objects.requireNonNull(outputDirectory, "outputDirectory");
    }

    /** Returns the GGUF file that stages without {@code initFrom} start from. */
    public Path baseModel() {
        return baseModel;
    }

    /** Returns the plugins available to the stages. */
    public PluginRegistry plugins() {
        return plugins;
    }

    /** Returns the chat template that renders prompts and responses. */
    public ChatTemplate template() {
        return template;
    }

    /** Returns the seed of head initialisation and batch order. */
    public long seed() {
        return seed;
    }

    /** Returns the folder in which each stage saves its model under its own name. */
    public Path outputDirectory() {
        return outputDirectory;
    }

    /** Returns the folder of a stage: its model, {@code metrics.json}, plots and evaluations. */
    public Path stageDirectory(String stage) {
        return outputDirectory.resolve(stage);
    }

    /** Returns the folder that a stage saves its model to. */
    public Path modelDirectory(String stage) {
        return stageDirectory(stage).resolve("model");
    }

    /**
     * Returns the saved model of an earlier stage.
     *
     * @param stage the stage name
     * @return the model folder
     * @throws IllegalArgumentException when no earlier stage has that name
     */
    public Path modelOf(String stage) {
        StageResult result = results.get(stage);
        if (result == null) {
            throw new IllegalArgumentException("No earlier stage named '" + stage + "'; earlier stages are "
                    + results.keySet());
        }
        return result.modelDirectory();
    }

    /** Returns the results of the stages that have run, in order. */
    public Map<String, StageResult> results() {
        return Collections.unmodifiableMap(results);
    }

    void record(StageResult result) {
        results.put(result.stage(), result);
    }
}
