package org.rlhf4j.pipeline;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rlhf4j.models.merge.ExtrapolationManifest;
import org.rlhf4j.models.merge.ModelExtrapolation;

/**
 * Extrapolates two earlier stages' models (ExPO): {@code theta = theta_strong + alpha (theta_strong -
 * theta_weak)}. Both models must share configuration, head and tokenizer.
 */
public final class ExtrapolationStage implements Stage {

    private final String name;
    private final String weak;
    private final String strong;
    private final double factor;
    private final ModelExtrapolation.Convention convention;

    /**
     * Creates the stage.
     *
     * @param name stage name
     * @param weak stage whose model is the weak end
     * @param strong stage whose model is the strong end
     * @param factor extrapolation factor, read under {@code convention}
     * @param convention whether {@code factor} is alpha or the total multiplier
     */
    public ExtrapolationStage(String name, String weak, String strong, double factor,
            ModelExtrapolation.Convention convention) {
        this.name = Objects.requireNonNull(name, "name");
        this.weak = Objects.requireNonNull(weak, "weak");
        this.strong = Objects.requireNonNull(strong, "strong");
        this.factor = factor;
        this.convention = Objects.requireNonNull(convention, "convention");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StageResult run(PipelineContext context) throws IOException {
        ExtrapolationManifest manifest = ModelExtrapolation.extrapolate(context.modelOf(weak), context.modelOf(strong),
                factor, convention, context.modelDirectory(name));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("weak", weak);
        metrics.put("strong", strong);
        metrics.put("factor", factor);
        metrics.put("convention", convention.name().toLowerCase(java.util.Locale.ROOT));
        metrics.put("alpha", manifest.alpha());
        StageFiles.writeTraining(context.stageDirectory(name), metrics, List.of(), List.of());
        return new StageResult(name, context.modelDirectory(name), metrics);
    }
}
