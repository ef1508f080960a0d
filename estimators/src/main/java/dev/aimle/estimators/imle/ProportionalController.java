package dev.aimle.estimators.imle;

import java.util.Map;

/**
 * A controller beyond the paper: {@code log(alpha)} moves in proportion to the relative error of the
 * non-zero average, {@code alpha <- alpha * exp(gain * clip((c - gbar) / c, -1, 1))}. Where the
 * sign rules (the paper's, {@link RpropController}) move by a full step whatever the error, and so
 * settle where {@code gbar} is above c half of the time (its median, not its mean), this one settles
 * where the mean of {@code gbar} is c and its steps shrink as it gets there: the non-zero count of a
 * small batch is noisy (one sample of top-1 gives 0 or 2), and a full step per noisy count keeps
 * alpha wandering. In log space it is scale-free: the same gain serves whatever alpha the task needs.
 * With gbar a moving average of discount gamma, the linearised loop ({@code log alpha} against
 * {@code gbar / c - 1}, sensitivity s) has the characteristic polynomial
 * {@code z^2 - (1 + gamma - gain * s * (1 - gamma)) z + gamma}, whose roots lie inside the unit
 * circle for {@code 0 < gain * s * (1 - gamma) < 2 (1 + gamma)}: for gamma = 0.9, any gain * s below
 * 38 settles, so the gain needs no tuning to be stable. The clip keeps each step within a
 * factor {@code exp(gain)} when gbar is far above c. Stateless beyond alpha; alpha must start above
 * 0.
 */
public final class ProportionalController implements AlphaController {
    private final double gain;

    /** @param gain the step in log space per unit of relative error, finite and greater than 0 */
    public ProportionalController(double gain) {
        if (!(gain > 0) || Double.isInfinite(gain)) {
            throw new IllegalArgumentException("gain (" + gain + ") must be a finite number greater than 0");
        }
        this.gain = gain;
    }

    /** The gain. */
    public double gain() {
        return gain;
    }

    @Override
    public String name() {
        return "proportional";
    }

    @Override
    public double next(double alpha, double gbar, double target) {
        double error = Math.max(-1, Math.min(1, (target - gbar) / target));
        return alpha * Math.exp(gain * error);
    }

    @Override
    public Map<String, Double> state() {
        return Map.of();
    }

    @Override
    public void restoreState(Map<String, Double> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException("the proportional controller has no state, got " + state.keySet());
        }
    }

    @Override
    public boolean requiresPositiveAlpha() {
        return true;
    }

    @Override
    public AlphaController copy() {
        return new ProportionalController(gain);
    }

    @Override
    public String toString() {
        return "proportional(gain " + gain + ")";
    }
}
