package org.rlhf4j.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.device.DeviceBackend;
import org.rlhf4j.api.loss.RewardLoss;

class PluginModuleTest {

    private final Injector injector = Guice.createInjector(new PluginModule(null));

    @Test
    void registryIsSingleton() {
        PluginRegistry first = injector.getInstance(PluginRegistry.class);
        PluginRegistry second = injector.getInstance(PluginRegistry.class);

        assertThat(first).isSameAs(second);
        assertThat(first.names(PluginKind.REWARD_LOSS)).containsExactly("bt", "margin-bt", "scaled-bt");
    }

    @Test
    void rewardLossesByName() {
        Map<String, RewardLoss> losses = injector.getInstance(Key.get(new TypeLiteral<Map<String, RewardLoss>>() {}));

        assertThat(losses).containsOnlyKeys("bt", "margin-bt", "scaled-bt");
        assertThat(losses.get("bt")).isSameAs(injector.getInstance(PluginRegistry.class).rewardLoss("bt"));
    }

    @Test
    void dataSourcesByName() {
        Map<String, DataSource<?>> sources =
                injector.getInstance(Key.get(new TypeLiteral<Map<String, DataSource<?>>>() {}));

        assertThat(sources).isNotEmpty();
        assertThat(sources.keySet())
                .isEqualTo(injector.getInstance(PluginRegistry.class).dataSources().keySet());
    }

    @Test
    void deviceBackendsByName() {
        Map<String, DeviceBackend> backends =
                injector.getInstance(Key.get(new TypeLiteral<Map<String, DeviceBackend>>() {}));

        assertThat(backends).containsOnlyKeys("cpu", "cuda");
    }
}
