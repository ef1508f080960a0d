package dev.aimle.estimators.noise;

import dev.aimle.api.Config;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.NoiseDistributionProvider;
import java.util.Set;

/** Provides {@link GumbelNoise} under the name {@code "gumbel"}; it takes no parameters. */
public final class GumbelNoiseProvider implements NoiseDistributionProvider {

    @Override
    public String name() {
        return GumbelNoise.NAME;
    }

    @Override
    public String description() {
        return "Gumbel(0, 1) noise, -log(-log U); exact Perturb-and-MAP for argmax (k = 1). Parameter placement"
                + " (host, engine or auto: host on the CPU, the default).";
    }

    @Override
    public NoiseDistribution create(Config config) {
        config.requireOnly("noise '" + name() + "'", Set.of("placement"));
        return new GumbelNoise(Placement.fromConfigName(config.getString("placement", Placement.AUTO.configName())));
    }
}
