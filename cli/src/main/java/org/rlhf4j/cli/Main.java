package org.rlhf4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.rlhf4j.api.data.DataFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;

/** Entry point of the {@code rlhf4j} command line. */
@Command(name = "rlhf4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Trains language models from human preferences (RLHF) on the JVM.",
        subcommands = {
            DemoCommand.class,
            TrainRewardCommand.class,
            TrainRegressionCommand.class,
            EvaluateRewardCommand.class,
            RecipeCommand.class,
            ExtrapolateCommand.class,
            RewardBenchScoreCommand.class,
            ConvertLlmBarCommand.class,
            PlanCommand.class,
            PluginsCommand.class,
            AlignCommand.class,
            HelpCommand.class
        })
public final class Main implements Runnable {

    /** Exit status for invalid input: a bad option value, a malformed record or a missing file. */
    static final int EXIT_INVALID_INPUT = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits with its status.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** Creates the command line with the error handling used by {@link #main}. */
    static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(Main::handleFailure);
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Prints expected failures (bad input, missing files) as one line without a stack trace, and
     * everything else with its stack trace.
     */
    private static int handleFailure(Exception thrown, CommandLine commandLine, CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        Exception failure = thrown instanceof java.io.UncheckedIOException ? ((java.io.UncheckedIOException) thrown).getCause()
                : thrown;
        if (failure instanceof DataFormatException || failure instanceof IllegalArgumentException
                || failure instanceof IOException || failure instanceof IllegalStateException) {
            err.println("rlhf4j " + commandLine.getCommandName() + ": " + describe(failure));
            err.flush();
            return EXIT_INVALID_INPUT;
        }
        failure.printStackTrace(err);
        err.flush();
        return 1;
    }

    private static String describe(Exception failure) {
        if (failure instanceof java.nio.file.NoSuchFileException) {
            return "file not found: " + failure.getMessage();
        }
        if (failure instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + failure.getMessage();
        }
        if (failure instanceof java.nio.file.FileSystemException) {
            java.nio.file.FileSystemException fileFailure = (java.nio.file.FileSystemException) failure;
            return fileFailure.getFile() + ": " + (fileFailure.getReason() != null ? fileFailure.getReason()
                    : failure.getClass().getSimpleName());
        }
        if (failure instanceof java.util.zip.ZipException || failure instanceof java.io.EOFException) {
            return "invalid or truncated compressed file: " + failure.getMessage();
        }
        String message = failure.getMessage();
        return message != null ? message : failure.getClass().getSimpleName();
    }

    /** Reads the version from the module descriptor that the build stamps. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getModule().getDescriptor() != null
                    ? Main.class.getModule().getDescriptor().rawVersion().orElse("unknown")
                    : "unknown";
            return new String[] {"rlhf4j " + version};
        }
    }
}
