package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.evaluation.rewardbench.LlmBarConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Converts the LLMBar source files into RewardBench-layout pairs. */
@Command(name = "convert-llmbar", mixinStandardHelpOptions = true,
        description = "Converts the five LLMBar files (Natural and the four Adversarial sets) into RewardBench-layout "
                + "JSONL rows {id, subset, prompt, chosen, rejected}, readable with --format pairs.")
final class ConvertLlmBarCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--in", paramLabel = "DIR", required = true,
            description = "Folder with llmbar_natural.json and llmbar_adversarial_{neighbor,gptinst,gptout,manual}.json.")
    private Path in;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "JSONL file to write.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        Map<String, Integer> counts = LlmBarConverter.convert(in, out);
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        spec.commandLine().getOut().printf("Wrote %d rows to %s: %s%n", total, out, counts);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
