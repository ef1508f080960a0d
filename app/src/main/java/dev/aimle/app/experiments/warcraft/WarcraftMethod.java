package dev.aimle.app.experiments.warcraft;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.aimle.app.harness.Method;

/**
 * How a Warcraft run sends a gradient back to the cost model: the reference's {@code DijkstraMAP}
 * modes, the Fenchel-Young loss, and its {@code Baseline}.
 */
public enum WarcraftMethod implements Method {
    /**
     * Black-box backprop (Pogancic et al. 2020): IMLE, forward difference, no noise, λ = 20, the
     * gradient divided by λ; the paper's "special instantiation" of IMLE.
     */
    DBB("dbb", "DBB (λ=20, no noise)"),
    /** IMLE with a fixed λ, forward difference, with noise. */
    IMLE_FORWARD("imle-forward", "IMLE (forward)"),
    /** IMLE with a fixed λ, central difference, with noise. */
    IMLE_CENTRAL("imle-central", "IMLE (central)"),
    /** AIMLE (adaptive λ), forward difference. */
    AIMLE_FORWARD("aimle-forward", "AIMLE (forward)"),
    /** AIMLE (adaptive λ), central difference. */
    AIMLE_CENTRAL("aimle-central", "AIMLE (central)"),
    /** The straight-through estimator. */
    STE("ste", "STE"),
    /** The perturbed optimizer's Fenchel-Young loss (Berthet et al. 2020) instead of the Hamming loss. */
    FENCHEL_YOUNG("fenchel-young", "Perturbed optimizer, Fenchel-Young loss"),
    /** The reference's baseline: a ResNet-18 predicting the path's cells directly, no solver in training. */
    BASELINE("baseline", "Baseline (ResNet-18, no solver)"),
    /** AIMLE's noise-scaled preset, forward difference (beyond the paper: the step in noise units; run only when named). */
    AIMLE_NOISE_SCALED_FORWARD("aimle-noise-scaled-forward", "AIMLE noise-scaled (forward)"),
    /** AIMLE's noise-scaled preset, central difference (run only when named). */
    AIMLE_NOISE_SCALED_CENTRAL("aimle-noise-scaled-central", "AIMLE noise-scaled (central)");

    private final String id;
    private final String label;

    WarcraftMethod(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The name used in specs and on the command line, e.g. {@code aimle-central}. */
    @JsonValue
    @Override
    public String id() {
        return id;
    }

    /** The name in tables and legends. */
    @Override
    public String label() {
        return label;
    }

    /** Whether the method trains through a {@code DiscreteLayer} (DBB, IMLE, AIMLE, STE). */
    public boolean usesDiscreteLayer() {
        return this != FENCHEL_YOUNG && this != BASELINE;
    }

    /** Whether λ is a fixed hyper-parameter of the method (IMLE; DBB fixes it at 20). */
    public boolean usesLambda() {
        return this == IMLE_FORWARD || this == IMLE_CENTRAL || this == DBB;
    }

    /** Whether the method is AIMLE, whose λ adapts (α₀, η and the target c in the spec). */
    @Override
    public boolean beyondThePaper() {
        return this == AIMLE_NOISE_SCALED_FORWARD || this == AIMLE_NOISE_SCALED_CENTRAL;
    }

    public boolean isAdaptive() {
        return this == AIMLE_FORWARD || this == AIMLE_CENTRAL;
    }

    /** The method of an id. */
    @JsonCreator
    public static WarcraftMethod parse(String value) {
        return Method.parse(WarcraftMethod.class, value);
    }

    /** Every id, comma-separated. */
    public static String ids() {
        return Method.ids(WarcraftMethod.class);
    }

    @Override
    public String toString() {
        return id;
    }
}
