package org.rlhf4j.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.plugins.PluginDiscovery;
import org.rlhf4j.plugins.PluginException;
import org.rlhf4j.plugins.PluginKind;
import org.rlhf4j.plugins.PluginProblem;
import org.rlhf4j.plugins.PluginRegistry;

/**
 * Broken variants of the example plugin are refused with a message that names the jar and the fix.
 * Each variant is compiled from the example's sources with one change.
 */
class PluginRefusalTest {

    private static final String HINGE = "com/example/rlhf4j/plugin/HingeLoss.java";
    private static final String NAME_METHOD = "    @Override\n    public String name() {";

    @TempDir
    Path pluginFolder;

    @TempDir
    Path work;

    @Test
    void newerMajorSpiIsRefused() throws IOException {
        Path jar = install(ExamplePlugin.compileVariant(work, "future.jar", null, List.of(),
                Map.of(HINGE, withSpiVersion(2, 0))));

        PluginRegistry registry = discover();

        assertThat(registry.find(PluginKind.REWARD_LOSS, "hinge")).isEmpty();
        assertThat(registry.find(PluginKind.DATA_SOURCE, "tsv-pairs")).isPresent();
        assertThat(registry.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.message()).contains(jar.toString());
            assertThat(problem.message()).contains("was built against SPI 2.0");
            assertThat(problem.message()).contains("Rebuild the plugin against SPI 1.0");
        });
    }

    @Test
    void newerMinorSpiIsRefused() throws IOException {
        Path jar = install(ExamplePlugin.compileVariant(work, "minor.jar", null, List.of(),
                Map.of(HINGE, withSpiVersion(1, 1))));

        PluginRegistry registry = discover();

        assertThat(registry.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.message()).contains(jar.toString());
            assertThat(problem.message()).contains("was built against SPI 1.1");
        });
    }

    @Test
    void pluginsCommandReportsRefusal() throws IOException {
        Path jar = install(ExamplePlugin.compileVariant(work, "future.jar", null, List.of(),
                Map.of(HINGE, withSpiVersion(2, 0))));

        Cli.Result result = Cli.run("plugins", "--plugin-dir", pluginFolder.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).containsPattern("(?m)^tsv-pairs ");
        assertThat(result.err()).contains("rejected: com.example.rlhf4j.plugin.HingeLoss: ");
        assertThat(result.err()).contains(jar.toString());
        assertThat(result.err()).contains("Rebuild the plugin against SPI 1.0");
    }

    @Test
    void sameJarTwiceNamesBothJars() throws IOException {
        Path first = ExamplePlugin.install(pluginFolder, "example-a.jar");
        Path second = ExamplePlugin.install(pluginFolder, "example-b.jar");
        PluginDiscovery discovery = PluginDiscovery.builder().optPluginFolder(pluginFolder).build();

        assertThatThrownBy(discovery::discover)
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("plugins are named '")
                .hasMessageContaining(first.toString())
                .hasMessageContaining(second.toString())
                .hasMessageContaining("remove one of the two jars");
    }

    @Test
    void nameOfBuiltInLossNamesJarAndBuiltIn() throws IOException {
        UnaryOperator<String> renamed = source -> source.replace("return \"hinge\";", "return \"bt\";");
        Path jar = install(ExamplePlugin.compileVariant(work, "bt-clash.jar", null, List.of(),
                Map.of(HINGE, renamed)));
        PluginDiscovery discovery = PluginDiscovery.builder().optPluginFolder(pluginFolder).build();

        assertThatThrownBy(discovery::discover)
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("Two reward-loss plugins are named 'bt'")
                .hasMessageContaining("module org.rlhf4j.losses")
                .hasMessageContaining(jar.toString())
                .hasMessageContaining("remove one of the two jars");
    }

    @Test
    void missingRequiredModuleIsRefused() throws IOException {
        Path helperInfo = Files.createDirectories(work.resolve("helper-src/com/example/missing"));
        Path helperClass = Files.writeString(helperInfo.resolve("Helper.java"),
                "package com.example.missing;\npublic final class Helper {}\n");
        Path helperModule = Files.writeString(work.resolve("helper-src/module-info.java"),
                "module com.example.missing { exports com.example.missing; }\n");
        Path helper = ExamplePlugin.modularJar(work, "missing.jar", null, List.of(),
                List.of(helperModule, helperClass));
        UnaryOperator<String> needsHelper = source -> source.replace("requires org.rlhf4j.api;",
                "requires org.rlhf4j.api;\n    requires com.example.missing;");
        Path jar = install(ExamplePlugin.compileVariant(work, "needs-missing.jar", null, List.of(helper),
                Map.of("module-info.java", needsHelper)));

        PluginRegistry registry = discover();

        assertThat(registry.find(PluginKind.REWARD_LOSS, "hinge")).isEmpty();
        assertThat(registry.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.subject()).isEqualTo(jar.toString());
            assertThat(problem.message()).contains("Plugin jar " + jar + " was rejected");
            assertThat(problem.message()).contains("requires module com.example.missing");
            assertThat(problem.message()).contains("Fix: add a jar with module com.example.missing");
        });
    }

    @Test
    void refusedJarLeavesOthersLoaded() throws IOException {
        install(ExamplePlugin.compileVariant(work, "future.jar", null, List.of(),
                Map.of(HINGE, withSpiVersion(2, 0))));
        UnaryOperator<String> renamedModule = source -> source.replace("module com.example.rlhf4j.plugin",
                "module com.example.rlhf4j.other");
        UnaryOperator<String> renamedLoss = source -> source.replace("return \"hinge\";", "return \"hinge-two\";");
        UnaryOperator<String> renamedSource = source -> source.replace("return \"tsv-pairs\";",
                "return \"tsv-pairs-two\";");
        install(ExamplePlugin.compileVariant(work, "other.jar", null, List.of(), Map.of(
                "module-info.java", renamedModule,
                HINGE, renamedLoss,
                "com/example/rlhf4j/plugin/TsvPairsSource.java", renamedSource)));

        PluginRegistry registry = discover();

        assertThat(registry.names(PluginKind.REWARD_LOSS)).contains("hinge-two").doesNotContain("hinge");
        assertThat(registry.problems()).extracting(PluginProblem::subject)
                .containsExactly("com.example.rlhf4j.plugin.HingeLoss");
    }

    private Path install(Path jar) throws IOException {
        return Files.copy(jar, pluginFolder.resolve(jar.getFileName()));
    }

    private PluginRegistry discover() {
        return PluginDiscovery.builder().optPluginFolder(pluginFolder).build().discover();
    }

    private static UnaryOperator<String> withSpiVersion(int major, int minor) {
        String override = "    @Override\n    public org.rlhf4j.api.SpiVersion spiVersion() {\n"
                + "        return new org.rlhf4j.api.SpiVersion(" + major + ", " + minor + ");\n    }\n\n";
        return source -> source.replace(NAME_METHOD, override + NAME_METHOD);
    }
}
