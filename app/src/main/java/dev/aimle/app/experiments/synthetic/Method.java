package dev.aimle.app.experiments.synthetic;

import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.GradientEstimatorProvider;
import dev.aimle.runtime.ProviderRegistry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The estimators compared in the synthetic experiment, in the order of the paper's legends, then
 * AIMLE's calibrated and noise-scaled presets (beyond the paper, run only when named); each is created through the
 * estimator registry the way a user creates it.
 */
public enum Method {
    /** AIMLE, forward difference (adaptive lambda, warm-up steps first). */
    AIMLE_FORWARD("aimle-forward", "AIMLE (forward)", "aimle", "forward", null),
    /** AIMLE, central difference. */
    AIMLE_CENTRAL("aimle-central", "AIMLE (central)", "aimle", "central", null),
    /** IMLE with a fixed lambda, forward difference. */
    IMLE_FORWARD("imle-forward", "IMLE (forward)", "imle", "forward", null),
    /** IMLE with a fixed lambda, central difference. */
    IMLE_CENTRAL("imle-central", "IMLE (central)", "imle", "central", null),
    /** The straight-through estimator. */
    STE("ste", "STE", "ste", null, null),
    /** The score-function estimator (exact samples from the categorical distribution). */
    SFE("sfe", "SFE", "sfe", null, null),
    /** AIMLE's calibrated preset (alpha calibrated on the first batch, target c(S)), forward difference. */
    AIMLE_CALIBRATED_FORWARD(
            "aimle-calibrated-forward", "AIMLE calibrated (forward)", "aimle", "forward", "calibrated"),
    /** AIMLE's calibrated preset, central difference. */
    AIMLE_CALIBRATED_CENTRAL(
            "aimle-calibrated-central", "AIMLE calibrated (central)", "aimle", "central", "calibrated"),
    /** AIMLE's noise-scaled preset (the step in noise standard deviations, kappa S^-p), forward difference. */
    AIMLE_NOISE_SCALED_FORWARD(
            "aimle-noise-scaled-forward", "AIMLE noise-scaled (forward)", "aimle", "forward", "noise-scaled"),
    /** AIMLE's noise-scaled preset, central difference. */
    AIMLE_NOISE_SCALED_CENTRAL(
            "aimle-noise-scaled-central", "AIMLE noise-scaled (central)", "aimle", "central", "noise-scaled");

    private final String id;
    private final String label;
    private final String provider;
    private final String difference;
    private final String preset;

    Method(String id, String label, String provider, String difference, String preset) {
        this.id = id;
        this.label = label;
        this.provider = provider;
        this.difference = difference;
        this.preset = preset;
    }

    /** The paper's estimators (every one but AIMLE's presets, which are beyond the paper): the default. */
    public static List<Method> paper() {
        return Arrays.stream(values()).filter(m -> m.preset == null).toList();
    }

    /** The name on the command line and in the CSV, e.g. {@code aimle-forward}. */
    public String id() {
        return id;
    }

    /** The name in tables and legends, e.g. {@code AIMLE (forward)}. */
    public String label() {
        return label;
    }

    /** {@code forward} or {@code central} for the I-MLE family, null for the others. */
    public String difference() {
        return difference;
    }

    /** Whether it is AIMLE's calibrated preset. */
    public boolean calibrated() {
        return "calibrated".equals(preset);
    }

    /** Whether it is AIMLE's noise-scaled preset. */
    public boolean noiseScaled() {
        return "noise-scaled".equals(preset);
    }

    /** Whether it takes a fixed lambda (IMLE). */
    public boolean usesLambda() {
        return provider.equals("imle");
    }

    /** Whether it adapts its lambda, and therefore has warm-up steps (AIMLE). */
    public boolean adaptive() {
        return provider.equals("aimle");
    }

    /**
     * A fresh estimator from the registry.
     *
     * @param lambda IMLE's lambda (ignored by the others)
     */
    public GradientEstimator create(ProviderRegistry<GradientEstimatorProvider> estimators, double lambda) {
        Map<String, Object> config = new LinkedHashMap<>();
        if (difference != null) {
            config.put("difference", difference);
        }
        if (preset != null) {
            config.put("preset", preset);
        }
        if (usesLambda()) {
            config.put("lambda", lambda);
        }
        return estimators.get(provider).create(Config.of(config));
    }

    /**
     * The method of this {@link #id()}.
     *
     * @throws IllegalArgumentException naming the known ids
     */
    public static Method parse(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        for (Method m : values()) {
            if (m.id.equals(wanted)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown estimator '" + id + "'; expected one of " + ids());
    }

    /** The ids, comma-separated, in order. */
    public static String ids() {
        return Arrays.stream(values()).map(Method::id).collect(Collectors.joining(", "));
    }
}
