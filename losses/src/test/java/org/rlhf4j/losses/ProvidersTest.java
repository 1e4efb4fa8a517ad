package org.rlhf4j.losses;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.loss.RegressionLoss;
import org.rlhf4j.api.loss.RewardLoss;

class ProvidersTest {

    @Test
    void moduleProvidesEveryLoss() {
        ModuleDescriptor descriptor = BradleyTerryLoss.class.getModule().getDescriptor();

        assertThat(descriptor).as("losses must run as a named module").isNotNull();
        assertThat(providers(descriptor, RewardLoss.class)).containsExactly(
                BradleyTerryLoss.class.getName(),
                MarginBradleyTerryLoss.class.getName(),
                ScaledBradleyTerryLoss.class.getName());
        assertThat(providers(descriptor, RegressionLoss.class)).containsExactly(MaskedMseLoss.class.getName());
    }

    @Test
    void namesMatchPluginPattern() {
        List<String> names = List.of(new BradleyTerryLoss().name(), new MarginBradleyTerryLoss().name(),
                new ScaledBradleyTerryLoss().name(), new MaskedMseLoss().name());

        assertThat(names).containsExactly("bt", "margin-bt", "scaled-bt", "regression");
        assertThat(names).allMatch(name -> name.matches(RewardLoss.NAME_PATTERN));
    }

    private static List<String> providers(ModuleDescriptor descriptor, Class<?> service) {
        return descriptor.provides().stream()
                .filter(provides -> provides.service().equals(service.getName()))
                .flatMap(provides -> provides.providers().stream())
                .toList();
    }
}
