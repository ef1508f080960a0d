package dev.aimle.estimators.imle;

import java.util.Map;

/**
 * Decides how AIMLE's perturbation fraction {@code alpha} moves after each backward pass, given the
 * moving average {@code gbar} of non-zero gradient entries per sample and the target {@code c}.
 * Implementations hold their own mutable state (exposed for checkpoints) and are used under the
 * owning {@link Aimle}'s lock.
 */
public interface AlphaController {

    /** A short name for reports, e.g. {@code "sign"}. */
    String name();

    /**
     * The next alpha.
     *
     * @param alpha the current alpha, at least 0
     * @param gbar the updated moving average of non-zeros per sample
     * @param target the target c
     * @return the next alpha, at least 0
     */
    double next(double alpha, double gbar, double target);

    /** The controller's own state (empty if it has none). */
    Map<String, Double> state();

    /** Restores {@link #state()}; rejects missing or unknown keys. */
    void restoreState(Map<String, Double> state);

    /** Whether alpha must stay above 0 (true for multiplicative rules, which cannot leave 0). */
    default boolean requiresPositiveAlpha() {
        return false;
    }

    /** A fresh controller with the same settings and initial state. */
    AlphaController copy();
}
