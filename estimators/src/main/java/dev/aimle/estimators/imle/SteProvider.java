package dev.aimle.estimators.imle;

import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorProvider;
import java.util.Set;

/** Provides {@link Ste} as {@code "ste"}. */
public final class SteProvider implements GradientEstimatorProvider {
    @Override
    public String name() {
        return "ste";
    }

    @Override
    public String description() {
        return "straight-through estimator (Bengio et al. 2013); no parameters";
    }

    @Override
    public GradientEstimator create(Config config) {
        config.requireOnly("estimator 'ste'", Set.of());
        return new Ste();
    }
}
