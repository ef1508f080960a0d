package dev.aimle.estimators.imle;

import java.util.Map;

/**
 * The paper's rule (AAAI-23 Eq. 10 and Algorithm 1), with the reference code's optional momentum:
 * {@code u <- momentum * u + (gbar <= c ? eta : -eta)}, {@code alpha <- max(0, alpha + u)}. With
 * momentum 0 (the paper) it is {@code max(0, alpha +/- eta)}; from alpha = 0 it needs about
 * {@code alpha* / eta} steps to reach a useful alpha*, then oscillates by eta around it. Momentum
 * shortens the climb (the steps add up while the direction repeats), the remedy the paper's
 * conclusion suggests.
 */
public final class SignController implements AlphaController {
    private final double eta;
    private final double momentum;
    private double previousUpdate;

    /**
     * @param eta the step, finite and greater than 0
     * @param momentum the weight of the previous update, in [0, 1)
     */
    public SignController(double eta, double momentum) {
        this.eta = requireEta(eta);
        this.momentum = requireMomentum(momentum);
    }

    /** The check of a step (also {@link Aimle.Builder#eta}'s, which must fail before the controller exists). */
    static double requireEta(double eta) {
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("eta (" + eta + ") must be a finite number greater than 0");
        }
        return eta;
    }

    /** The check of a momentum (also {@link Aimle.Builder#momentum}'s). */
    static double requireMomentum(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum (" + momentum + ") must be in [0, 1)");
        }
        return momentum;
    }

    /** The step. */
    public double eta() {
        return eta;
    }

    /** The momentum. */
    public double momentum() {
        return momentum;
    }

    @Override
    public String name() {
        return "sign";
    }

    @Override
    public double next(double alpha, double gbar, double target) {
        double update = momentum * previousUpdate + (gbar <= target ? eta : -eta);
        previousUpdate = update;
        return Math.max(0, alpha + update);
    }

    @Override
    public Map<String, Double> state() {
        return Map.of("previousUpdate", previousUpdate);
    }

    @Override
    public void restoreState(Map<String, Double> state) {
        Double value = state.get("previousUpdate");
        if (state.size() != 1 || value == null || !Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    "the sign controller's state is a finite 'previousUpdate', got " + state);
        }
        previousUpdate = value;
    }

    @Override
    public AlphaController copy() {
        return new SignController(eta, momentum);
    }

    @Override
    public String toString() {
        return "sign(eta " + eta + (momentum == 0 ? "" : ", momentum " + momentum) + ")";
    }
}
