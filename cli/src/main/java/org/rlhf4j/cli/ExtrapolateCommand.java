package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rlhf4j.models.merge.ExtrapolationManifest;
import org.rlhf4j.models.merge.ModelExtrapolation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Extrapolates two saved reward models (ExPO). */
@Command(name = "extrapolate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes theta = theta_strong + alpha * (theta_strong - theta_weak) for every parameter of two "
                + "saved reward models with the same configuration, head and tokenizer (ExPO).",
            "The HelpSteer2-Preference authors report a best factor of 1.52 without saying whether it is alpha or the "
                    + "total multiplier f in theta_weak + f * (theta_strong - theta_weak), which is alpha = f - 1. "
                    + "--convention says how --factor is read."})
final class ExtrapolateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--weak", paramLabel = "DIR", required = true,
            description = "Saved model at the weak end, for example the helpfulness-only regression model.")
    private Path weak;

    @Option(names = "--strong", paramLabel = "DIR", required = true,
            description = "Saved model at the strong end, for example the scaled-BT model trained from the weak one.")
    private Path strong;

    @Option(names = "--factor", paramLabel = "F", required = true, description = "Extrapolation factor, read under --convention.")
    private double factor;

    @Option(names = "--convention", paramLabel = "NAME", defaultValue = "alpha",
            description = "alpha: --factor is alpha; total-multiplier: alpha = --factor - 1 (default: ${DEFAULT-VALUE}).")
    private String convention;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder for the extrapolated model.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        ModelExtrapolation.Convention parsed = Enums.parse(ModelExtrapolation.Convention.class, "--convention", convention);
        ExtrapolationManifest manifest = ModelExtrapolation.extrapolate(weak, strong, factor, parsed, out);
        spec.commandLine().getOut().printf("Wrote %s with alpha %s (factor %s, convention %s)%n", out,
                manifest.alpha(), factor, convention);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
