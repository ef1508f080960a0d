package dev.aimle.estimators.noise;

import dev.aimle.api.Config;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.NoiseDistributionProvider;
import java.util.Set;

/** Provides {@link NoNoise} under the name {@code "none"}; it takes no parameters. */
public final class NoNoiseProvider implements NoiseDistributionProvider {

    @Override
    public String name() {
        return NoNoise.NAME;
    }

    @Override
    public String description() {
        return "No noise (zeros): MAP(theta) itself. No parameters.";
    }

    @Override
    public NoiseDistribution create(Config config) {
        config.requireOnly("noise '" + name() + "'", Set.of());
        return new NoNoise();
    }
}
