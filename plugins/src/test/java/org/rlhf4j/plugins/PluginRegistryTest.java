package org.rlhf4j.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.SpiVersion;
import org.rlhf4j.api.loss.RewardLoss;
import org.rlhf4j.plugins.PluginDescriptor.Origin;
import org.rlhf4j.plugins.TestPlugins.AlphaLoss;
import org.rlhf4j.plugins.TestPlugins.OtherAlphaLoss;

/** Discovery of the built-in plugins of losses, hardware and data, which the test run has on its path. */
class PluginRegistryTest {

    private static PluginRegistry registry;

    @BeforeAll
    static void discover() {
        registry = PluginDiscovery.discoverDefault();
    }

    @Test
    void listsBuiltInRewardLosses() {
        assertThat(registry.names(PluginKind.REWARD_LOSS)).containsExactly("bt", "margin-bt", "scaled-bt");
    }

    @Test
    void listsRegressionLoss() {
        assertThat(registry.names(PluginKind.REGRESSION_LOSS)).containsExactly("regression");
    }

    @Test
    void lossesComeFromLossesModule() {
        List<PluginDescriptor> losses = List.of(
                registry.descriptor(PluginKind.REWARD_LOSS, "bt"),
                registry.descriptor(PluginKind.REWARD_LOSS, "margin-bt"),
                registry.descriptor(PluginKind.REWARD_LOSS, "scaled-bt"),
                registry.descriptor(PluginKind.REGRESSION_LOSS, "regression"));

        assertThat(losses).allSatisfy(loss -> {
            assertThat(loss.moduleName()).isEqualTo("org.rlhf4j.losses");
            assertThat(loss.origin()).isEqualTo(Origin.MODULE_PATH);
            assertThat(loss.spiVersion()).isEqualTo(SpiVersion.CURRENT);
            assertThat(loss.description()).isNotBlank();
            assertThat(loss.location()).contains("losses");
        });
        String moduleVersion = ModuleLayer.boot().findModule("org.rlhf4j.losses").orElseThrow()
                .getDescriptor().rawVersion().orElseThrow();
        assertThat(losses.get(0).version()).isEqualTo(moduleVersion);
    }

    @Test
    void listsDeviceBackends() {
        assertThat(registry.names(PluginKind.DEVICE_BACKEND)).containsExactly("cpu", "cuda");
        assertThat(registry.deviceBackend("cpu").isAvailable()).isTrue();
    }

    @Test
    void listsDataSources() {
        assertThat(registry.names(PluginKind.DATA_SOURCE)).isNotEmpty();
        assertThat(registry.list(PluginKind.DATA_SOURCE))
                .allSatisfy(source -> assertThat(source.moduleName()).isEqualTo("org.rlhf4j.data"));
    }

    @Test
    void rejectsNothingOnCleanPath() {
        assertThat(registry.problems()).isEmpty();
    }

    @Test
    void typedLookupReturnsInstance() {
        RewardLoss loss = registry.rewardLoss("scaled-bt");

        assertThat(loss.name()).isEqualTo("scaled-bt");
        assertThat(loss.usesMagnitude()).isTrue();
    }

    @Test
    void lookupIgnoresCase() {
        assertThat(registry.rewardLoss("Margin-BT").name()).isEqualTo("margin-bt");
    }

    @Test
    void unknownNameListsKnownNames() {
        assertThatThrownBy(() -> registry.rewardLoss("xyz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown reward-loss 'xyz'. Known reward-loss plugins: bt, margin-bt, scaled-bt");
    }

    @Test
    void unknownKindWithoutPluginsSaysNone() {
        assertThatThrownBy(() -> registry.policyOptimizer("ppo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown policy-optimizer 'ppo'. Known policy-optimizer plugins: none");
    }

    @Test
    void listIsSortedByKindThenName() {
        List<PluginDescriptor> all = registry.list();

        for (int i = 1; i < all.size(); i++) {
            PluginDescriptor previous = all.get(i - 1);
            PluginDescriptor current = all.get(i);
            int byKind = previous.kind().compareTo(current.kind());
            assertThat(byKind < 0 || byKind == 0 && previous.name().compareTo(current.name()) < 0)
                    .as("%s before %s", previous, current)
                    .isTrue();
        }
        assertThat(all.get(0).name()).isEqualTo("bt");
    }

    @Test
    void sameNameInOneKindIsRejected() {
        PluginDiscovery discovery = PluginDiscovery.builder()
                .optScanModulePath(false)
                .optScanClassPath(false)
                .addPlugin(new AlphaLoss())
                .addPlugin(new OtherAlphaLoss())
                .build();

        assertThatThrownBy(discovery::discover)
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("'alpha'")
                .hasMessageContaining(AlphaLoss.class.getName())
                .hasMessageContaining(OtherAlphaLoss.class.getName())
                .hasMessageContaining("remove one of the two jars");
    }

    @Test
    void duplicateMessageNamesBothJars() {
        PluginDescriptor first = descriptor(new AlphaLoss(), "/plugins/a.jar");
        PluginDescriptor second = descriptor(new OtherAlphaLoss(), "/plugins/b.jar");

        assertThatThrownBy(() -> PluginRegistry.of(List.of(first, second), List.of()))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("/plugins/a.jar")
                .hasMessageContaining("/plugins/b.jar");
    }

    @Test
    void sameNameInDifferentKindsIsAllowed() {
        PluginDescriptor loss = descriptor(new AlphaLoss(), "/plugins/a.jar");
        PluginDescriptor other = new PluginDescriptor("alpha", PluginKind.REGRESSION_LOSS, "", "m", "1",
                Origin.PLUGIN_FOLDER, "/plugins/b.jar", SpiVersion.CURRENT, new AlphaLoss());

        PluginRegistry both = PluginRegistry.of(List.of(loss, other), List.of());

        assertThat(both.list()).hasSize(2);
    }

    @Test
    void pluginModuleDeclaresUsesForEveryKind() {
        var uses = PluginDiscovery.class.getModule().getDescriptor().uses();

        for (PluginKind kind : PluginKind.values()) {
            assertThat(uses).as("uses %s", kind.type().getName()).contains(kind.type().getName());
        }
    }

    private static PluginDescriptor descriptor(RewardLoss loss, String jar) {
        return new PluginDescriptor(loss.name(), PluginKind.REWARD_LOSS, "", "com.example", "1.0",
                Origin.PLUGIN_FOLDER, jar, SpiVersion.CURRENT, loss);
    }
}
