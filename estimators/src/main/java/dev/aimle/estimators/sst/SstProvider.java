package dev.aimle.estimators.sst;

import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorProvider;
import java.util.Set;

/**
 * Provides {@link StochasticSoftmax} as {@code "sst"}; parameter {@code temperature} (t, default 1,
 * finite and greater than 0).
 */
public final class SstProvider implements GradientEstimatorProvider {
    @Override
    public String name() {
        return "sst";
    }

    @Override
    public String description() {
        return "stochastic softmax trick, hard (Paulus et al. 2020): z = MAP(theta + eps), gradient (1/t) Cov_{(theta+eps)/t}[z] dy;"
                + " needs a solver with a tractable distribution; parameter: temperature (default 1)";
    }

    @Override
    public GradientEstimator create(Config config) {
        config.requireOnly("estimator 'sst'", Set.of("temperature"));
        return new StochasticSoftmax(config.getDouble("temperature", 1.0));
    }
}
