package org.rlhf4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rlhf4j.plugins.PluginDescriptor;
import org.rlhf4j.plugins.PluginDiscovery;
import org.rlhf4j.plugins.PluginProblem;
import org.rlhf4j.plugins.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists every plugin found on the module path, the class path and an optional plugin folder. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "Lists the plugins found through the service interfaces: name, kind, module and version.")
final class PluginsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--plugin-dir", paramLabel = "DIR",
            description = "Folder of plugin jars, each loaded as its own module layer.")
    private Path pluginDir;

    @Override
    public Integer call() {
        PluginRegistry registry = PluginDiscovery.builder().optPluginFolder(pluginDir).build().discover();
        PrintWriter out = spec.commandLine().getOut();
        List<PluginDescriptor> plugins = registry.list();
        String format = "%-24s %-18s %-24s %-16s %s%n";
        out.printf(format, "NAME", "KIND", "MODULE", "VERSION", "DESCRIPTION");
        for (PluginDescriptor plugin : plugins) {
            out.printf(format, plugin.name(), plugin.kind().label(), plugin.moduleName(), plugin.version(),
                    plugin.description());
        }
        out.flush();
        List<PluginProblem> problems = registry.problems();
        PrintWriter err = spec.commandLine().getErr();
        for (PluginProblem problem : problems) {
            err.println("rejected: " + problem.subject() + ": " + problem.message());
        }
        err.flush();
        return problems.isEmpty() ? 0 : 1;
    }
}
