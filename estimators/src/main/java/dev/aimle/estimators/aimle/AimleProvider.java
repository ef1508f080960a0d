package dev.aimle.estimators.aimle;

import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.estimators.FiniteDifference;
import java.util.Locale;
import java.util.Set;

/**
 * Provides {@link Aimle} as {@code "aimle"}. Parameters: {@code difference} (forward|central),
 * {@code preset} (paper|reference), {@code c}, {@code eta}, {@code gamma}, {@code alpha0},
 * {@code gbar0}, {@code controller} (sign|rprop), {@code norm} (batch|instance). A preset is applied
 * first; explicit parameters override it.
 */
public final class AimleProvider implements GradientEstimatorProvider {
    @Override
    public String name() {
        return "aimle";
    }

    @Override
    public String description() {
        return "Adaptive I-MLE (AAAI-23); parameters: difference (forward|central), preset (paper|reference), "
                + "c, eta, gamma, alpha0, gbar0, controller (sign|rprop), norm (batch|instance)";
    }

    @Override
    public GradientEstimator create(Config config) {
        config.requireOnly("estimator 'aimle'",
                Set.of("difference", "preset", "c", "eta", "gamma", "alpha0", "gbar0", "controller", "norm"));
        Aimle.Builder b = Aimle.builder()
                .difference(FiniteDifference.parse(config.getString("difference", "forward")));
        String preset = config.getString("preset", "paper");
        switch (preset) {
            case "paper" -> { }
            case "reference" -> b.referencePreset();
            default -> throw new IllegalArgumentException("preset (" + preset + ") must be 'paper' or 'reference'");
        }
        String controller = config.getString("controller", "sign");
        switch (controller) {
            case "sign" -> {
                if (config.has("eta")) {
                    b.eta(config.getDouble("eta"));
                }
            }
            case "rprop" -> {
                if (config.has("eta")) {
                    throw new IllegalArgumentException("eta applies to the sign controller, not to 'rprop'");
                }
                b.controller(RpropController.withDefaults());
                if (!config.has("alpha0") && !preset.equals("reference")) {
                    b.alpha0(1.0);
                }
            }
            default -> throw new IllegalArgumentException("controller (" + controller + ") must be 'sign' or 'rprop'");
        }
        if (config.has("c")) {
            b.target(config.getDouble("c"));
        }
        if (config.has("gamma")) {
            b.gamma(config.getDouble("gamma"));
        }
        if (config.has("alpha0")) {
            b.alpha0(config.getDouble("alpha0"));
        }
        if (config.has("gbar0")) {
            b.gbar0(config.getDouble("gbar0"));
        }
        String norm = config.getString("norm", "batch");
        try {
            b.normScope(Aimle.NormScope.valueOf(norm.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("norm (" + norm + ") must be 'batch' or 'instance'", e);
        }
        return b.build();
    }
}
