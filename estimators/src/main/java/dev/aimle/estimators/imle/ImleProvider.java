package dev.aimle.estimators.imle;

import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorProvider;
import java.util.Map;
import java.util.Set;

/**
 * Provides {@link Imle} as {@code "imle"}: {@code lambda}, {@code difference}, {@code scale-gradient}
 * (the builder's names; the earlier {@code scale} is refused with the new name).
 */
public final class ImleProvider implements GradientEstimatorProvider {
    @Override
    public String name() {
        return "imle";
    }

    @Override
    public String description() {
        return "I-MLE with a fixed step (NeurIPS 2021); parameters: lambda (default 1), difference"
                + " (forward|central, default forward), scale-gradient (true|false: divide by lambda, default true)";
    }

    @Override
    public GradientEstimator create(Config config) {
        RenamedKeys.refuse("estimator 'imle'", config, Map.of("scale", "scale-gradient"));
        config.requireOnly("estimator 'imle'", Set.of("lambda", "difference", "scale-gradient"));
        return Imle.builder()
                .lambda(config.getDouble("lambda", 1.0))
                .difference(config.getString("difference", "forward"))
                .scaleGradient(config.getBoolean("scale-gradient", true))
                .build();
    }
}
