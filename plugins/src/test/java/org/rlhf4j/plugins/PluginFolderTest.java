package org.rlhf4j.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.loss.RewardLoss;
import org.rlhf4j.plugins.PluginDescriptor.Origin;

/** Loading jars from a plugin folder; each jar is compiled by the test. */
class PluginFolderTest {

    @TempDir
    Path work;

    @TempDir
    Path folder;

    @Test
    void findsPluginInFolderJar() throws IOException {
        Path jar = hingeJar(folder);

        PluginRegistry registry = folderOnly(folder);

        PluginDescriptor hinge = registry.descriptor(PluginKind.REWARD_LOSS, "hinge");
        assertThat(hinge.moduleName()).isEqualTo("com.example.extraloss");
        assertThat(hinge.origin()).isEqualTo(Origin.PLUGIN_FOLDER);
        assertThat(hinge.location()).isEqualTo(jar.toString());
        assertThat(hinge.version()).isEqualTo("1.2.3");
        assertThat(hinge.className()).isEqualTo("com.example.extraloss.HingeLoss");
        assertThat(registry.problems()).isEmpty();
    }

    @Test
    void folderPluginJoinsBuiltIns() throws IOException {
        hingeJar(folder);

        PluginRegistry registry = PluginDiscovery.builder().optPluginFolder(folder).build().discover();

        assertThat(registry.names(PluginKind.REWARD_LOSS)).containsExactly("bt", "hinge", "margin-bt", "scaled-bt");
        RewardLoss hinge = registry.rewardLoss("hinge");
        assertThat(hinge.getClass().getModule().getName()).isEqualTo("com.example.extraloss");
    }

    @Test
    void missingRequiredModuleRejectsJar() throws IOException {
        Path missingModule = TestJars.modularJar(work, "missing.jar", null, List.of(), Map.of(
                "module-info.java", "module com.example.missing { exports com.example.missing; }",
                "com/example/missing/Helper.java", "package com.example.missing; public final class Helper {}"));
        Path jar = TestJars.modularJar(work, "needs-missing.jar", null, List.of(missingModule), Map.of(
                "module-info.java", TestJars.rewardLossModule("com.example.needsmissing",
                        "com.example.needsmissing.NeedsLoss", "    requires com.example.missing;\n"),
                "com/example/needsmissing/NeedsLoss.java",
                TestJars.rewardLossSource("com.example.needsmissing", "NeedsLoss", "needs", "")));
        Path installed = Files.copy(jar, folder.resolve("needs-missing.jar"));
        hingeJar(folder);

        PluginRegistry registry = folderOnly(folder);

        assertThat(registry.problems()).hasSize(1);
        PluginProblem problem = registry.problems().get(0);
        assertThat(problem.subject()).isEqualTo(installed.toString());
        assertThat(problem.message()).contains(installed.toString());
        assertThat(problem.message()).contains("requires module com.example.missing");
        assertThat(problem.message()).contains("Fix: add a jar with module com.example.missing");
        assertThat(registry.names(PluginKind.REWARD_LOSS)).containsExactly("hinge");
    }

    @Test
    void incompatibleSpiVersionIsRejected() throws IOException {
        String override = "    @Override public org.rlhf4j.api.SpiVersion spiVersion() {"
                + " return new org.rlhf4j.api.SpiVersion(2, 0); }\n";
        Path jar = TestJars.modularJar(work, "future.jar", null, List.of(), Map.of(
                "module-info.java", TestJars.rewardLossModule("com.example.future",
                        "com.example.future.FutureLoss", ""),
                "com/example/future/FutureLoss.java",
                TestJars.rewardLossSource("com.example.future", "FutureLoss", "future", override)));
        Path installed = Files.copy(jar, folder.resolve("future.jar"));

        PluginRegistry registry = folderOnly(folder);

        assertThat(registry.names(PluginKind.REWARD_LOSS)).isEmpty();
        assertThat(registry.problems()).hasSize(1);
        String message = registry.problems().get(0).message();
        assertThat(message).contains("com.example.future.FutureLoss");
        assertThat(message).contains("module com.example.future");
        assertThat(message).contains(installed.toString());
        assertThat(message).contains("built against SPI 2.0");
        assertThat(message).contains("Rebuild the plugin against SPI 1.0");
    }

    @Test
    void sameNameInTwoJarsNamesBothJars() throws IOException {
        Path first = Files.copy(lossJar("dupa", "DupLoss", "dup"), folder.resolve("dup-a.jar"));
        Path second = Files.copy(lossJar("dupb", "DupLoss", "dup"), folder.resolve("dup-b.jar"));
        PluginDiscovery discovery = PluginDiscovery.builder()
                .optScanModulePath(false)
                .optScanClassPath(false)
                .optPluginFolder(folder)
                .build();

        assertThatThrownBy(discovery::discover)
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("'dup'")
                .hasMessageContaining(first.toString())
                .hasMessageContaining(second.toString())
                .hasMessageContaining("remove one of the two jars");
    }

    @Test
    void failingConstructorIsReported() throws IOException {
        String constructor = "    public BoomLoss() { throw new IllegalStateException(\"boom\"); }\n";
        Path jar = TestJars.modularJar(work, "boom.jar", null, List.of(), Map.of(
                "module-info.java", TestJars.rewardLossModule("com.example.boom", "com.example.boom.BoomLoss", ""),
                "com/example/boom/BoomLoss.java",
                TestJars.rewardLossSource("com.example.boom", "BoomLoss", "boom", constructor)));
        Files.copy(jar, folder.resolve("boom.jar"));

        PluginRegistry registry = folderOnly(folder);

        assertThat(registry.problems()).hasSize(1);
        PluginProblem problem = registry.problems().get(0);
        assertThat(problem.subject()).isEqualTo("com.example.boom.BoomLoss");
        assertThat(problem.message()).contains("Failed to create reward-loss plugin com.example.boom.BoomLoss");
        assertThat(problem.message()).contains("public no-argument constructor");
    }

    @Test
    void automaticModuleJarLoads() throws IOException {
        Path jar = TestJars.classPathJar(work, "autoloss.jar", "3.0",
                Map.of("com/example/auto/AutoLoss.java",
                        TestJars.rewardLossSource("com.example.auto", "AutoLoss", "auto", "")),
                Map.of("META-INF/services/org.rlhf4j.api.loss.RewardLoss", "com.example.auto.AutoLoss\n"));
        Files.copy(jar, folder.resolve("autoloss.jar"));

        PluginRegistry registry = folderOnly(folder);

        PluginDescriptor auto = registry.descriptor(PluginKind.REWARD_LOSS, "auto");
        // a jar without module-info becomes an automatic module named after the file
        assertThat(auto.moduleName()).isEqualTo("autoloss");
        assertThat(auto.origin()).isEqualTo(Origin.PLUGIN_FOLDER);
        assertThat(auto.version()).isEqualTo("3.0");
    }

    @Test
    void corruptJarIsRejected() throws IOException {
        Path corrupt = TestJars.corruptJar(folder, "corrupt.jar");
        hingeJar(folder);

        PluginRegistry registry = folderOnly(folder);

        assertThat(registry.problems()).hasSize(1);
        assertThat(registry.problems().get(0).subject()).isEqualTo(corrupt.toString());
        assertThat(registry.problems().get(0).message())
                .startsWith("Plugin jar " + corrupt + " was rejected because it is not a readable module");
        assertThat(registry.names(PluginKind.REWARD_LOSS)).containsExactly("hinge");
    }

    @Test
    void ignoresFilesThatAreNotJars() throws IOException {
        Files.writeString(folder.resolve("README.txt"), "not a plugin");

        PluginRegistry registry = folderOnly(folder);

        assertThat(registry.list()).isEmpty();
        assertThat(registry.problems()).isEmpty();
    }

    @Test
    void missingFolderIsRejected() {
        Path absent = folder.resolve("absent");
        PluginDiscovery discovery = PluginDiscovery.builder().optPluginFolder(absent).build();

        assertThatThrownBy(discovery::discover)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(absent.toString())
                .hasMessageContaining("does not exist");
    }

    private Path hingeJar(Path target) throws IOException {
        Path jar = TestJars.modularJar(work, "extraloss.jar", "1.2.3", List.of(), Map.of(
                "module-info.java", TestJars.rewardLossModule("com.example.extraloss",
                        "com.example.extraloss.HingeLoss", ""),
                "com/example/extraloss/HingeLoss.java",
                TestJars.rewardLossSource("com.example.extraloss", "HingeLoss", "hinge", "")));
        return Files.copy(jar, target.resolve("extraloss.jar"));
    }

    private Path lossJar(String moduleSuffix, String className, String pluginName) throws IOException {
        String module = "com.example." + moduleSuffix;
        return TestJars.modularJar(work, moduleSuffix + ".jar", null, List.of(), Map.of(
                "module-info.java", TestJars.rewardLossModule(module, module + "." + className, ""),
                module.replace('.', '/') + "/" + className + ".java",
                TestJars.rewardLossSource(module, className, pluginName, "")));
    }

    private static PluginRegistry folderOnly(Path folder) {
        return PluginDiscovery.builder()
                .optScanModulePath(false)
                .optScanClassPath(false)
                .optPluginFolder(folder)
                .build()
                .discover();
    }
}
