package org.rlhf4j.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.plugins.PluginDescriptor.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads every jar of a plugin folder into its own child layer of the application's module layer.
 *
 * <p>Each jar is resolved on its own. It may require modules of the application's layer, but not
 * modules of other jars in the folder. A jar that fails to resolve or to load is rejected with a
 * {@link PluginProblem}, and the other jars still load.
 */
final class PluginFolder {

    private static final Logger logger = LoggerFactory.getLogger(PluginFolder.class);

    private final Path folder;
    private final ModuleLayer parent;
    private final ClassLoader parentLoader;

    PluginFolder(Path folder, ModuleLayer parent, ClassLoader parentLoader) {
        this.folder = folder;
        this.parent = parent;
        this.parentLoader = parentLoader;
    }

    /**
     * Loads each jar and offers its providers of every plugin kind to {@code run}.
     *
     * @throws IllegalArgumentException when the folder does not exist or is not a directory
     * @throws UncheckedIOException when the folder cannot be listed
     */
    void load(DiscoveryRun run) {
        for (Path jar : jars()) {
            loadJar(jar, run);
        }
    }

    private List<Path> jars() {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("Plugin folder " + folder + " does not exist or is not a directory");
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(path -> path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to list plugin folder " + folder, e);
        }
    }

    private void loadJar(Path jar, DiscoveryRun run) {
        ModuleLayer layer;
        try {
            layer = defineLayer(jar);
        } catch (MissingModuleException e) {
            run.reject(jar.toString(), missingModuleMessage(jar, e.module, e.missing));
            return;
        } catch (FindException e) {
            run.reject(jar.toString(), "Plugin jar " + jar + " was rejected because it is not a readable module: "
                    + e.getMessage() + ". Fix: replace it with a valid plugin jar, or remove it from the plugin"
                    + " folder.");
            return;
        } catch (ResolutionException | LayerInstantiationException | SecurityException e) {
            run.reject(jar.toString(), "Plugin jar " + jar + " was rejected because its module cannot be loaded: "
                    + e.getMessage() + ". Fix: rebuild the plugin so that it requires only modules of the rlhf4j"
                    + " application and shares no package with them, or remove it from the plugin folder.");
            return;
        }
        int offered = 0;
        for (PluginKind kind : PluginKind.values()) {
            ServiceLoader<? extends Plugin> loader = ServiceLoader.load(layer, kind.type());
            offered += run.offerAll(loader, kind, Origin.PLUGIN_FOLDER, "plugin jar " + jar,
                    type -> type.getModule().getLayer() == layer);
        }
        if (offered == 0) {
            logger.info("Plugin jar {} provides no rlhf4j plugin", jar);
        }
    }

    private ModuleLayer defineLayer(Path jar) {
        ModuleFinder finder = ModuleFinder.of(jar);
        Set<ModuleReference> references = finder.findAll();
        for (ModuleReference reference : references) {
            requireResolvable(reference.descriptor(), finder);
        }
        Set<String> roots = references.stream().map(reference -> reference.descriptor().name())
                .collect(Collectors.toSet());
        Configuration configuration = parent.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
        return parent.defineModulesWithOneLoader(configuration, parentLoader);
    }

    private void requireResolvable(ModuleDescriptor descriptor, ModuleFinder finder) {
        for (ModuleDescriptor.Requires requires : descriptor.requires()) {
            if (requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
                continue;
            }
            String name = requires.name();
            Optional<Module> inParent = parent.findModule(name);
            if (inParent.isEmpty() && finder.find(name).isEmpty()) {
                throw new MissingModuleException(descriptor.name(), name);
            }
        }
    }

    private static String missingModuleMessage(Path jar, String module, String missing) {
        return "Plugin jar " + jar + " was rejected: its module " + module + " requires module " + missing
                + ", which is not loaded in this application. Each plugin jar is loaded on its own, so it can use"
                + " only modules of the application. Fix: add a jar with module " + missing
                + " to the application's module path, or rebuild the plugin without 'requires " + missing + "'.";
    }

    /** A required module is neither in the parent layer nor in the jar. */
    private static final class MissingModuleException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final String module;
        private final String missing;

        MissingModuleException(String module, String missing) {
            super("module " + module + " requires missing module " + missing, null, false, false);
            this.module = module;
            this.missing = missing;
        }
    }
}
