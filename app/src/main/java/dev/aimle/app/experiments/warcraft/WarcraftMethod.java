package dev.aimle.app.experiments.warcraft;

import java.util.Locale;

/**
 * How a Warcraft run sends a gradient back to the cost model: the reference's {@code DijkstraMAP}
 * modes, the Fenchel-Young loss, and its {@code Baseline}.
 */
public enum WarcraftMethod {
    /**
     * Black-box backprop (Pogancic et al. 2020): IMLE, forward difference, no noise, λ = 20, the
     * gradient divided by λ; the paper's "special instantiation" of IMLE.
     */
    DBB("dbb"),
    /** IMLE with a fixed λ, forward difference, with noise. */
    IMLE_FORWARD("imle-forward"),
    /** IMLE with a fixed λ, central difference, with noise. */
    IMLE_CENTRAL("imle-central"),
    /** AIMLE (adaptive λ), forward difference. */
    AIMLE_FORWARD("aimle-forward"),
    /** AIMLE (adaptive λ), central difference. */
    AIMLE_CENTRAL("aimle-central"),
    /** The straight-through estimator. */
    STE("ste"),
    /** The perturbed optimizer's Fenchel-Young loss (Berthet et al. 2020) instead of the Hamming loss. */
    FENCHEL_YOUNG("fenchel-young"),
    /** The reference's baseline: a ResNet-18 predicting the path's cells directly, no solver in training. */
    BASELINE("baseline");

    private final String id;

    WarcraftMethod(String id) {
        this.id = id;
    }

    /** The name used in specs and on the command line, e.g. {@code aimle-central}. */
    public String id() {
        return id;
    }

    /** Whether the method trains through a {@code DiscreteLayer} (DBB, IMLE, AIMLE, STE). */
    public boolean usesDiscreteLayer() {
        return this != FENCHEL_YOUNG && this != BASELINE;
    }

    /** Whether λ is a fixed hyper-parameter of the method (IMLE; DBB fixes it at 20). */
    public boolean usesLambda() {
        return this == IMLE_FORWARD || this == IMLE_CENTRAL || this == DBB;
    }

    /** The method of an id. */
    public static WarcraftMethod parse(String value) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        for (WarcraftMethod m : values()) {
            if (m.id.equals(wanted)) {
                return m;
            }
        }
        StringBuilder names = new StringBuilder();
        for (WarcraftMethod m : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(m.id);
        }
        throw new IllegalArgumentException("unknown Warcraft method '" + value + "'; expected one of " + names);
    }

    @Override
    public String toString() {
        return id;
    }
}
