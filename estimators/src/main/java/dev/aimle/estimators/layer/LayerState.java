package dev.aimle.estimators.layer;

import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link DiscreteLayer} changes while it trains: its noise stream (seed and number of
 * draws) and its estimator's state (AIMLE's alpha, gbar and step count, a temperature schedule's
 * step). Restoring it makes a resumed run draw the same noise and compute the same estimates.
 *
 * @param seed the layer's seed
 * @param draws the number of noisy forward passes made
 * @param estimator the estimator's {@code state()}
 */
public record LayerState(long seed, long draws, Map<String, Double> estimator) {

    /** Copies the estimator state. */
    public LayerState {
        estimator = Map.copyOf(Objects.requireNonNull(estimator, "estimator"));
    }
}
