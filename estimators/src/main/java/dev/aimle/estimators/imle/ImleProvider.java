package dev.aimle.estimators.imle;

import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorProvider;
import java.util.Set;

/** Provides {@link Imle} as {@code "imle"}. */
public final class ImleProvider implements GradientEstimatorProvider {
    @Override
    public String name() {
        return "imle";
    }

    @Override
    public String description() {
        return "I-MLE with a fixed step (NeurIPS 2021); parameters: lambda (default 1), difference"
                + " (forward|central, default forward), scale (true|false: divide by lambda, default true)";
    }

    @Override
    public GradientEstimator create(Config config) {
        config.requireOnly("estimator 'imle'", Set.of("lambda", "difference", "scale"));
        return Imle.builder()
                .lambda(config.getDouble("lambda", 1.0))
                .difference(config.getString("difference", "forward"))
                .scaleGradient(config.getBoolean("scale", true))
                .build();
    }
}
