package dev.aimle.estimators.noise;

import dev.aimle.api.Config;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.NoiseDistributionProvider;
import java.util.Set;

/**
 * Provides {@link SumOfGammaNoise} under the name {@code "sum-of-gamma"}: parameter {@code k}
 * (required, the subset size) and {@code s} (optional, the number of Gamma terms, default 10).
 */
public final class SumOfGammaNoiseProvider implements NoiseDistributionProvider {

    @Override
    public String name() {
        return SumOfGammaNoise.NAME;
    }

    @Override
    public String description() {
        return "Sum-of-Gamma noise of I-MLE, (sum_{i=1..s} Gamma(1/k, rate i/k) - log s) / k, for top-k;"
                + " parameters k (required, subset size >= 1) and s (terms >= 1, default "
                + SumOfGammaNoise.DEFAULT_TERMS + "), placement (host, engine or auto: host on the CPU, the default).";
    }

    @Override
    public NoiseDistribution create(Config config) {
        config.requireOnly("noise '" + name() + "'", Set.of("k", "s", "placement"));
        return new SumOfGammaNoise(
                config.getInt("k"),
                config.getInt("s", SumOfGammaNoise.DEFAULT_TERMS),
                Placement.fromConfigName(config.getString("placement", Placement.AUTO.configName())));
    }
}
