package org.rlhf4j.plugins;

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
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.rlhf4j.api.loss.RewardLoss;
import org.slf4j.Logger;

/**
 * Compiles small plugin jars at test time with the JDK's javac, found through
 * {@link ToolProvider} so that the test module needs no {@code requires java.compiler}.
 */
final class TestJars {

    private TestJars() {}

    /**
     * Compiles a modular jar.
     *
     * @param work a scratch directory
     * @param jarName file name of the jar, created under {@code work}
     * @param moduleVersion value of {@code --module-version}, or null
     * @param extraModulePath more modules that the sources need at compile time
     * @param sources relative source path to source text; include {@code module-info.java}
     * @return the jar
     */
    static Path modularJar(Path work, String jarName, String moduleVersion, List<Path> extraModulePath,
            Map<String, String> sources) throws IOException {
        List<Path> modulePath = new ArrayList<>(apiModulePath());
        modulePath.addAll(extraModulePath);
        List<String> options = new ArrayList<>(List.of("--module-path", joinPaths(modulePath)));
        if (moduleVersion != null) {
            options.addAll(List.of("--module-version", moduleVersion));
        }
        Path classes = compile(work, jarName, options, sources);
        return pack(classes, work.resolve(jarName), null);
    }

    /**
     * Compiles a plain jar for the class path, with a {@code META-INF/services} entry.
     *
     * @param work a scratch directory
     * @param jarName file name of the jar, created under {@code work}
     * @param implementationVersion manifest {@code Implementation-Version}, or null
     * @param sources relative source path to source text
     * @param resources relative resource path to text, copied into the jar
     * @return the jar
     */
    static Path classPathJar(Path work, String jarName, String implementationVersion, Map<String, String> sources,
            Map<String, String> resources) throws IOException {
        List<String> options = List.of("--class-path", joinPaths(apiModulePath()));
        Path classes = compile(work, jarName, options, sources);
        for (Map.Entry<String, String> resource : resources.entrySet()) {
            Path target = classes.resolve(resource.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, resource.getValue());
        }
        return pack(classes, work.resolve(jarName), implementationVersion);
    }

    /** Writes text into a file with a .jar name that is not a zip file. */
    static Path corruptJar(Path folder, String jarName) throws IOException {
        return Files.writeString(folder.resolve(jarName), "not a zip file");
    }

    /**
     * Returns the source of a reward loss plugin.
     *
     * @param packageName package of the class
     * @param className simple class name
     * @param pluginName value returned by {@code name()}
     * @param extraMembers more members, such as a {@code spiVersion()} override
     * @return the Java source
     */
    static String rewardLossSource(String packageName, String className, String pluginName, String extraMembers) {
        return "package " + packageName + ";\n"
                + "import ai.djl.ndarray.NDArray;\n"
                + "import org.rlhf4j.api.loss.PairwiseRewards;\n"
                + "import org.rlhf4j.api.loss.RewardLoss;\n"
                + "public final class " + className + " implements RewardLoss {\n"
                + "    @Override public String name() { return \"" + pluginName + "\"; }\n"
                + "    @Override public String description() { return \"Test loss " + pluginName + ".\"; }\n"
                + "    @Override public NDArray compute(PairwiseRewards rewards) {\n"
                + "        return rewards.chosen().sub(rewards.rejected()).neg().add(1f).maximum(0f).mean();\n"
                + "    }\n"
                + extraMembers
                + "}\n";
    }

    /** Returns a module-info that provides one reward loss. */
    static String rewardLossModule(String moduleName, String providerClass, String extraRequires) {
        return "module " + moduleName + " {\n"
                + "    requires org.rlhf4j.api;\n"
                + extraRequires
                + "    provides org.rlhf4j.api.loss.RewardLoss with " + providerClass + ";\n"
                + "}\n";
    }

    private static List<Path> apiModulePath() {
        return List.of(location(RewardLoss.class), location(NDArray.class), location(Logger.class));
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate " + type, e);
        }
    }

    private static Path compile(Path work, String jarName, List<String> options, Map<String, String> sources)
            throws IOException {
        Optional<ToolProvider> javac = ToolProvider.findFirst("javac");
        assumeTrue(javac.isPresent(), "javac is not available in this JVM (module jdk.compiler not loaded)");
        Path sourceRoot = Files.createDirectories(work.resolve(jarName + "-src"));
        Path classes = Files.createDirectories(work.resolve(jarName + "-classes"));
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
        arguments.addAll(options);
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceRoot.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            arguments.add(file.toString());
        }
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(messages, true, StandardCharsets.UTF_8);
        int exitCode = javac.get().run(out, out, arguments.toArray(String[]::new));
        if (exitCode != 0) {
            String output = messages.toString(StandardCharsets.UTF_8);
            throw new IllegalStateException("javac failed for " + jarName + ":\n" + output);
        }
        return classes;
    }

    private static Path pack(Path classes, Path jar, String implementationVersion) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (implementationVersion != null) {
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, implementationVersion);
        }
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

    private static String joinPaths(List<Path> paths) {
        return String.join(java.io.File.pathSeparator, paths.stream().map(Path::toString).toList());
    }
}
