package org.rlhf4j.plugins;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** Reads where a plugin class was loaded from and which version it carries. */
final class PluginSources {

    private PluginSources() {}

    /** Returns the module name of a class, or {@code "unnamed"} for the class path. */
    static String moduleName(Class<?> type) {
        Module module = type.getModule();
        return module.isNamed() ? module.getName() : PluginDescriptor.UNNAMED_MODULE;
    }

    /**
     * Returns the jar or directory a class was loaded from: the module's location for named
     * modules, else the class's code source.
     */
    static Optional<Path> location(Class<?> type) {
        Module module = type.getModule();
        if (module.isNamed() && module.getLayer() != null) {
            Optional<URI> uri = module.getLayer().configuration().findModule(module.getName())
                    .flatMap(resolved -> resolved.reference().location());
            if (uri.isPresent()) {
                return toPath(uri.get());
            }
        }
        return codeSourceLocation(type);
    }

    /** Returns the location as text, or {@code "unknown"}. */
    static String locationText(Class<?> type) {
        return location(type).map(Path::toString).orElse(PluginDescriptor.UNKNOWN);
    }

    /**
     * Returns the module's raw version, else the {@code Implementation-Version} of the jar's
     * manifest, else {@code "unknown"}.
     */
    static String version(Class<?> type) {
        Module module = type.getModule();
        if (module.isNamed() && module.getDescriptor() != null) {
            Optional<String> raw = module.getDescriptor().rawVersion();
            if (raw.isPresent()) {
                return raw.get();
            }
        }
        return location(type).flatMap(PluginSources::manifestVersion).orElse(PluginDescriptor.UNKNOWN);
    }

    /** Reads {@code Implementation-Version} from a jar's manifest. Returns empty for a directory or an unreadable jar. */
    static Optional<String> manifestVersion(Path jar) {
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> codeSourceLocation(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        if (url == null) {
            return Optional.empty();
        }
        try {
            return toPath(url.toURI());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> toPath(URI uri) {
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(uri));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
