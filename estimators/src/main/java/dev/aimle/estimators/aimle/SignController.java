package dev.aimle.estimators.aimle;

import java.util.Map;

/**
 * The paper's rule (AAAI-23 Eq. 10 and Algorithm 1): {@code alpha <- max(0, alpha + eta)} if
 * {@code gbar <= c}, else {@code max(0, alpha - eta)}. From alpha = 0 it needs about
 * {@code alpha* / eta} steps to reach a useful alpha*, then oscillates by eta around it.
 */
public final class SignController implements AlphaController {
    private final double eta;

    /** @param eta the step, finite and greater than 0 */
    public SignController(double eta) {
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("eta (" + eta + ") must be a finite number greater than 0");
        }
        this.eta = eta;
    }

    /** The step. */
    public double eta() {
        return eta;
    }

    @Override
    public String name() {
        return "sign";
    }

    @Override
    public double next(double alpha, double gbar, double target) {
        return Math.max(0, alpha + (gbar <= target ? eta : -eta));
    }

    @Override
    public Map<String, Double> state() {
        return Map.of();
    }

    @Override
    public void restoreState(Map<String, Double> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException("the sign controller has no state, got " + state.keySet());
        }
    }

    @Override
    public AlphaController copy() {
        return this;
    }
}
