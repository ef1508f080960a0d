package dev.aimle.estimators.imle;

import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorProvider;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Provides {@link Aimle} as {@code "aimle"}. Each parameter is its builder method's name in kebab
 * case: {@code difference} (forward|central), {@code preset} (paper|reference|calibrated: {@link
 * CalibratedAimle}|noise-scaled: {@link NoiseScaledAimle}; these two take only {@code difference}), {@code target} (c),
 * {@code target-unit} (solver|row|instance; default solver: the unit the solver declares),
 * {@code eta}, {@code momentum}, {@code gamma}, {@code alpha0}, {@code gbar0}, {@code controller}
 * (sign|rprop), {@code lambda-rule} (batch|per-input), {@code scale-gradient} (true|false). The
 * earlier keys {@code c}, {@code unit}, {@code lambda} and {@code scale} are refused with the new
 * name ({@link RenamedKeys}).
 */
public final class AimleProvider implements GradientEstimatorProvider {
    private static final Set<String> KEYS = Set.of(
            "difference",
            "preset",
            "target",
            "target-unit",
            "eta",
            "momentum",
            "gamma",
            "alpha0",
            "gbar0",
            "controller",
            "lambda-rule",
            "scale-gradient");
    private static final Map<String, String> RENAMED =
            Map.of("c", "target", "unit", "target-unit", "lambda", "lambda-rule", "scale", "scale-gradient");
    private static final Set<String> PRESET_KEYS = Set.of("difference", "preset");

    @Override
    public String name() {
        return "aimle";
    }

    @Override
    public String description() {
        return "Adaptive I-MLE (AAAI-23); parameters: difference (forward|central), preset (paper|reference|calibrated|noise-scaled),"
                + " target (c), target-unit (solver|row|instance), eta, momentum, gamma, alpha0, gbar0,"
                + " controller (sign|rprop), lambda-rule (batch|per-input), scale-gradient (true|false)";
    }

    @Override
    public GradientEstimator create(Config config) {
        RenamedKeys.refuse("estimator 'aimle'", config, RENAMED);
        config.requireOnly("estimator 'aimle'", KEYS);
        String preset = config.getString("preset", "paper");
        String difference = config.getString("difference", "forward");
        if (preset.equals("calibrated") || preset.equals("noise-scaled")) {
            config.requireOnly("estimator 'aimle' with preset=" + preset + " (it chooses the rest)", PRESET_KEYS);
            return preset.equals("calibrated") ? CalibratedAimle.of(difference) : NoiseScaledAimle.of(difference);
        }
        Aimle.Builder b = Aimle.builder().difference(difference);
        switch (preset) {
            case "paper" -> {}
            case "reference" -> b.referencePreset();
            default ->
                throw new IllegalArgumentException(
                        "preset (" + preset + ") must be 'paper', 'reference', 'calibrated' or 'noise-scaled'");
        }
        String controller = config.getString("controller", "sign");
        switch (controller) {
            case "sign" -> {}
            case "rprop" -> b.controller(RpropController.withDefaults());
            default -> throw new IllegalArgumentException("controller (" + controller + ") must be 'sign' or 'rprop'");
        }
        if (config.has("eta")) {
            b.eta(config.getDouble("eta"));
        }
        if (config.has("momentum")) {
            b.momentum(config.getDouble("momentum"));
        }
        if (config.has("target")) {
            b.target(config.getDouble("target"));
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
        b.targetUnit(parse(Aimle.TargetUnit.class, "target-unit", config.getString("target-unit", "solver")));
        b.lambdaRule(parse(Aimle.LambdaRule.class, "lambda-rule", config.getString("lambda-rule", "batch")));
        b.scaleGradient(config.getBoolean("scale-gradient", true));
        return b.build();
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String key, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().replace('_', '-').equalsIgnoreCase(value.strip())) {
                return e;
            }
        }
        StringBuilder known = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            known.append(known.length() == 0 ? "" : ", ")
                    .append(e.name().replace('_', '-').toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(key + " (" + value + ") must be one of " + known);
    }
}
