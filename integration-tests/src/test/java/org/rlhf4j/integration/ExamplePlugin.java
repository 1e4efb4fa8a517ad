package org.rlhf4j.integration;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.rlhf4j.api.loss.RewardLoss;
import org.slf4j.Logger;

/**
 * Builds the example plugin from {@code example-plugin/} into its own jar, and altered copies of
 * it, with the JDK's javac (found through {@link ToolProvider}, so that the test module needs no
 * {@code requires java.compiler}).
 */
final class ExamplePlugin {

    /** Module name of the example plugin. */
    static final String MODULE = "com.example.rlhf4j.plugin";

    private static Path built;

    private ExamplePlugin() {}

    /**
     * Returns the example plugin jar, compiled from {@code example-plugin/src/main/java} with module
     * version 1.0.0 on first use, into the folder named by {@code rlhf4j.example.plugin.dir}.
     */
    static synchronized Path jar() throws IOException {
        if (built == null) {
            Path dir = Files.createDirectories(Path.of(System.getProperty("rlhf4j.example.plugin.dir",
                    "target/example-plugin")));
            built = compileVariant(dir, "example-plugin.jar", "1.0.0", List.of(), Map.of());
        }
        return built;
    }

    /** Copies the example plugin jar into a plugin folder under a file name. */
    static Path install(Path pluginFolder, String fileName) throws IOException {
        return Files.copy(jar(), pluginFolder.resolve(fileName));
    }

    /**
     * Compiles the example plugin's sources after changing them, and packs them into a jar.
     *
     * @param work scratch directory
     * @param jarName file name of the jar, created in {@code work}
     * @param moduleVersion value of javac's {@code --module-version}, or null for none
     * @param extraModulePath more modules the changed sources need at compile time
     * @param edits relative source path to a function that rewrites that file's text
     * @return the jar
     */
    static Path compileVariant(Path work, String jarName, String moduleVersion, List<Path> extraModulePath,
            Map<String, UnaryOperator<String>> edits) throws IOException {
        Path sources = Path.of(System.getProperty("rlhf4j.example.plugin.sources", "example-plugin/src/main/java"));
        Path copy = Files.createDirectories(work.resolve(jarName + "-src"));
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(sources)) {
            for (Path source : walk.filter(Files::isRegularFile).toList()) {
                String relative = sources.relativize(source).toString().replace('\\', '/');
                String text = Files.readString(source);
                UnaryOperator<String> edit = edits.getOrDefault(relative, UnaryOperator.identity());
                String changed = edit.apply(text);
                if (edits.containsKey(relative) && changed.equals(text)) {
                    throw new IllegalStateException("The edit of " + relative + " changed nothing");
                }
                Path target = copy.resolve(relative);
                Files.createDirectories(target.getParent());
                files.add(Files.writeString(target, changed));
            }
        }
        return modularJar(work, jarName, moduleVersion, extraModulePath, files);
    }

    /** Compiles source files that include a {@code module-info.java} into a modular jar. */
    static Path modularJar(Path work, String jarName, String moduleVersion, List<Path> extraModulePath,
            List<Path> sourceFiles) throws IOException {
        Optional<ToolProvider> javac = ToolProvider.findFirst("javac");
        assumeTrue(javac.isPresent(), "javac is not available in this JVM (module jdk.compiler not loaded)");
        Path classes = Files.createDirectories(work.resolve(jarName + "-classes"));
        List<Path> modulePath = new ArrayList<>(List.of(location(RewardLoss.class), location(NDArray.class),
                location(Logger.class)));
        modulePath.addAll(extraModulePath);
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(),
                "--module-path", String.join(java.io.File.pathSeparator, modulePath.stream().map(Path::toString)
                        .toList())));
        if (moduleVersion != null) {
            arguments.addAll(List.of("--module-version", moduleVersion));
        }
        sourceFiles.forEach(file -> arguments.add(file.toString()));
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(messages, true, StandardCharsets.UTF_8);
        if (javac.get().run(out, out, arguments.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("javac failed for " + jarName + ":\n"
                    + messages.toString(StandardCharsets.UTF_8));
        }
        return pack(classes, work.resolve(jarName));
    }

    private static Path pack(Path classes, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                Stream<Path> entries = Files.walk(classes)) {
            for (Path path : entries.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(path));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the jar of " + type, e);
        }
    }
}
