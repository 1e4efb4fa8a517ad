package org.rlhf4j.plugins;

import ai.djl.ndarray.NDArray;
import org.rlhf4j.api.SpiVersion;
import org.rlhf4j.api.loss.PairwiseRewards;
import org.rlhf4j.api.loss.RewardLoss;

/** Reward-loss plugins defined in the test, added to discovery in code. */
final class TestPlugins {

    private TestPlugins() {}

    /** A loss named by its constructor argument, with a configurable SPI version. */
    abstract static class NamedLoss implements RewardLoss {

        private final String name;
        private final SpiVersion spiVersion;

        NamedLoss(String name, SpiVersion spiVersion) {
            this.name = name;
            this.spiVersion = spiVersion;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public SpiVersion spiVersion() {
            return spiVersion;
        }

        @Override
        public NDArray compute(PairwiseRewards rewards) {
            throw new UnsupportedOperationException("test plugin");
        }
    }

    /** The first plugin named {@code alpha}. */
    static final class AlphaLoss extends NamedLoss {
        AlphaLoss() {
            super("alpha", SpiVersion.CURRENT);
        }
    }

    /** A second, different class also named {@code alpha}. */
    static final class OtherAlphaLoss extends NamedLoss {
        OtherAlphaLoss() {
            super("alpha", SpiVersion.CURRENT);
        }
    }

    /** A plugin whose name breaks the naming rule. */
    static final class BadNameLoss extends NamedLoss {
        BadNameLoss() {
            super("Bad_Name", SpiVersion.CURRENT);
        }
    }

    /** A plugin built against a future, incompatible SPI. */
    static final class FutureLoss extends NamedLoss {
        FutureLoss() {
            super("future", new SpiVersion(SpiVersion.CURRENT.major() + 1, 0));
        }
    }

    /** A plugin that needs a newer minor SPI version than this build has. */
    static final class NewerMinorLoss extends NamedLoss {
        NewerMinorLoss() {
            super("newer-minor", new SpiVersion(SpiVersion.CURRENT.major(), SpiVersion.CURRENT.minor() + 1));
        }
    }
}
