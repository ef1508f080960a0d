package dev.aimle.estimators.gumbel;

import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorProvider;
import java.util.Set;

/** Provides {@link GumbelSoftmax} as {@code "gumbel-softmax"}. */
public final class GumbelSoftmaxProvider implements GradientEstimatorProvider {
    @Override
    public String name() {
        return "gumbel-softmax";
    }

    @Override
    public String description() {
        return "Gumbel-softmax relaxation of a categorical (k = 1) variable; parameters: temperature (default 1)";
    }

    @Override
    public GradientEstimator create(Config config) {
        config.requireOnly("estimator 'gumbel-softmax'", Set.of("temperature"));
        return new GumbelSoftmax(config.getDouble("temperature", 1.0));
    }
}
