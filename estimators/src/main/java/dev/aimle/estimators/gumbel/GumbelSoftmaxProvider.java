package dev.aimle.estimators.gumbel;

import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.estimators.Schedule;
import java.util.Set;

/**
 * Provides {@link GumbelSoftmax} as {@code "gumbel-softmax"}: a constant {@code temperature}
 * (default 1), or the annealing {@code max(floor, temperature * exp(-rate * t))} updated every
 * {@code every} steps when {@code rate} is given (the reference DVAE: rate 3e-5, floor 0.5, every
 * 1000).
 */
public final class GumbelSoftmaxProvider implements GradientEstimatorProvider {
    @Override
    public String name() {
        return "gumbel-softmax";
    }

    @Override
    public String description() {
        return "Gumbel-softmax relaxation of a categorical (k = 1) variable; parameters: temperature (default 1),"
                + " rate, floor (default 0.5), every (default 1000) for exponential annealing";
    }

    @Override
    public GradientEstimator create(Config config) {
        config.requireOnly("estimator 'gumbel-softmax'", Set.of("temperature", "rate", "floor", "every"));
        double t = config.getDouble("temperature", 1.0);
        if (!config.has("rate")) {
            if (config.has("floor") || config.has("every")) {
                throw new IllegalArgumentException("floor and every need rate (the annealing rate)");
            }
            return GumbelSoftmax.withTemperature(t);
        }
        double rate = config.getDouble("rate");
        double floor = config.getDouble("floor", 0.5);
        int every = config.getInt("every", 1000);
        return new GumbelSoftmax(
                Schedule.exponentialDecay(t, rate, floor, every),
                "t=max(" + floor + ", " + t + "*exp(-" + rate + "*step)) every " + every);
    }
}
