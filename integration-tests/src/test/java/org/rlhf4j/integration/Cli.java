package org.rlhf4j.integration;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.rlhf4j.cli.Main;
import org.rlhf4j.cli.PlanCommand;
import picocli.CommandLine;

/**
 * Runs the rlhf4j command line in-process and captures its exit status and output.
 *
 * <p>Exceptions reach picocli's default handler here, not the one of {@link Main#main}, so
 * invalid input ends with status 1 and a stack trace on standard error instead of status 2.
 */
final class Cli {

    record Result(int exitCode, String out, String err) {}

    private Cli() {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new Main());
        if (!commandLine.getSubcommands().containsKey("plan")) {
            commandLine.addSubcommand("plan", new PlanCommand());
        }
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
