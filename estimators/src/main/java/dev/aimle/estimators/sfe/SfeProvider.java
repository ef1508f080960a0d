package dev.aimle.estimators.sfe;

import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorProvider;
import java.util.Set;

/** Provides {@link ScoreFunction} as {@code "sfe"}. */
public final class SfeProvider implements GradientEstimatorProvider {
    @Override
    public String name() {
        return "sfe";
    }

    @Override
    public String description() {
        return "score-function estimator (Williams 1992), needs a solver with a tractable distribution; no parameters";
    }

    @Override
    public GradientEstimator create(Config config) {
        config.requireOnly("estimator 'sfe'", Set.of());
        return new ScoreFunction();
    }
}
