package org.rlhf4j.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.plugins.PluginDescriptor.Origin;
import org.rlhf4j.plugins.TestPlugins.AlphaLoss;
import org.rlhf4j.plugins.TestPlugins.BadNameLoss;
import org.rlhf4j.plugins.TestPlugins.FutureLoss;
import org.rlhf4j.plugins.TestPlugins.NewerMinorLoss;

/** Checks applied to every plugin, and discovery on the class path. */
class PluginDiscoveryTest {

    @TempDir
    Path work;

    @Test
    void addedPluginIsRegistered() {
        PluginRegistry registry = onlyAdded(new AlphaLoss());

        PluginDescriptor alpha = registry.descriptor(PluginKind.REWARD_LOSS, "alpha");
        assertThat(alpha.origin()).isEqualTo(Origin.ADDED_IN_CODE);
        assertThat(alpha.moduleName()).isEqualTo("org.rlhf4j.plugins");
        assertThat(registry.problems()).isEmpty();
    }

    @Test
    void invalidNameIsRejected() {
        PluginRegistry registry = onlyAdded(new BadNameLoss());

        assertThat(registry.list()).isEmpty();
        assertThat(registry.problems()).hasSize(1);
        PluginProblem problem = registry.problems().get(0);
        assertThat(problem.subject()).isEqualTo(BadNameLoss.class.getName());
        assertThat(problem.message()).contains("invalid name 'Bad_Name'");
        assertThat(problem.message()).contains(Plugin.NAME_PATTERN);
        assertThat(problem.message()).contains("module org.rlhf4j.plugins");
        assertThat(problem.message()).contains("Rename it and rebuild the plugin");
    }

    @Test
    void newerMajorSpiIsRejected() {
        PluginRegistry registry = onlyAdded(new FutureLoss());

        assertThat(registry.list()).isEmpty();
        String message = registry.problems().get(0).message();
        assertThat(message).contains(FutureLoss.class.getName());
        assertThat(message).contains("built against SPI 2.0");
        assertThat(message).contains("Rebuild the plugin against SPI 1.0");
    }

    @Test
    void newerMinorSpiIsRejected() {
        PluginRegistry registry = onlyAdded(new NewerMinorLoss());

        assertThat(registry.list()).isEmpty();
        assertThat(registry.problems().get(0).message()).contains("built against SPI 1.1");
    }

    @Test
    void objectThatIsNoPluginKindIsRejected() {
        Plugin notAKind = () -> "lonely";

        assertThatThrownBy(() -> PluginDiscovery.builder().addPlugin(notAKind))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("implements none of the plugin interfaces");
    }

    @Test
    void findsClassPathPlugin() throws IOException {
        Path jar = TestJars.classPathJar(work, "legacy.jar", "2.0.1",
                Map.of("com/example/legacy/LegacyLoss.java",
                        TestJars.rewardLossSource("com.example.legacy", "LegacyLoss", "legacy", "")),
                Map.of("META-INF/services/org.rlhf4j.api.loss.RewardLoss", "com.example.legacy.LegacyLoss\n"));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                PluginDiscoveryTest.class.getClassLoader())) {
            PluginRegistry registry = PluginDiscovery.builder().optClassLoader(loader).build().discover();

            PluginDescriptor legacy = registry.descriptor(PluginKind.REWARD_LOSS, "legacy");
            assertThat(legacy.origin()).isEqualTo(Origin.CLASS_PATH);
            assertThat(legacy.moduleName()).isEqualTo("unnamed");
            assertThat(legacy.version()).isEqualTo("2.0.1");
            assertThat(legacy.location()).isEqualTo(jar.toString());
            assertThat(registry.names(PluginKind.REWARD_LOSS))
                    .containsExactly("bt", "legacy", "margin-bt", "scaled-bt");
        }
    }

    @Test
    void brokenServiceEntryIsReported() throws IOException {
        Path jar = TestJars.classPathJar(work, "broken.jar", null,
                Map.of("com/example/broken/Present.java", "package com.example.broken; public class Present {}"),
                Map.of("META-INF/services/org.rlhf4j.api.loss.RewardLoss", "com.example.broken.Absent\n"));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                PluginDiscoveryTest.class.getClassLoader())) {
            PluginRegistry registry = PluginDiscovery.builder().optClassLoader(loader).build().discover();

            assertThat(registry.problems()).hasSize(1);
            assertThat(registry.problems().get(0).message()).contains("com.example.broken.Absent");
            assertThat(registry.problems().get(0).message()).contains("class path");
            assertThat(registry.names(PluginKind.REWARD_LOSS)).containsExactly("bt", "margin-bt", "scaled-bt");
        }
    }

    @Test
    void modulePathAndClassPathCountProviderOnce() {
        PluginRegistry registry = PluginDiscovery.builder().build().discover();

        assertThat(registry.list(PluginKind.REWARD_LOSS)).hasSize(3);
        assertThat(registry.list(PluginKind.DEVICE_BACKEND)).hasSize(2);
    }

    @Test
    void kindLabelsRoundTrip() {
        for (PluginKind kind : PluginKind.values()) {
            assertThat(PluginKind.fromLabel(kind.label())).isSameAs(kind);
        }
        assertThatThrownBy(() -> PluginKind.fromLabel("tokenizer"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward-loss, regression-loss, policy-optimizer, data-source, device-backend");
    }

    private static PluginRegistry onlyAdded(Plugin plugin) {
        return PluginDiscovery.builder()
                .optScanModulePath(false)
                .optScanClassPath(false)
                .addPlugin(plugin)
                .build()
                .discover();
    }
}
