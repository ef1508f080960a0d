package dev.aimle.app.experiments.nri;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.aimle.api.GradientEstimator;
import dev.aimle.app.harness.Method;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.imle.CalibratedAimle;
import dev.aimle.estimators.imle.NoiseScaledAimle;

/** The gradient estimators of the NRI experiment (paper Table 2), in the table's order. */
public enum NriMethod implements Method {
    /** The spanning-tree stochastic softmax trick, hard samples forward (Paulus et al. 2020). */
    SST("sst", "SST (Hard)"),
    /** IMLE with a fixed lambda, forward difference, unscaled (the reference's NRI setting). */
    IMLE_FORWARD("imle-forward", "IMLE (Forward)"),
    /** IMLE with a fixed lambda, central difference. */
    IMLE_CENTRAL("imle-central", "IMLE (Central)"),
    /** AIMLE, forward difference. */
    AIMLE_FORWARD("aimle-forward", "AIMLE (Forward)"),
    /** AIMLE, central difference. */
    AIMLE_CENTRAL("aimle-central", "AIMLE (Central)"),
    /** The straight-through estimator (not in Table 2; a baseline that needs no tuning). */
    STE("ste", "STE"),
    /**
     * AIMLE's calibrated preset, forward difference (beyond the paper: alpha calibrated on the first
     * batch, a target for S instead of {@code --target}; run only when named).
     */
    AIMLE_CALIBRATED_FORWARD("aimle-calibrated-forward", "AIMLE calibrated (Forward)"),
    /** AIMLE's calibrated preset, central difference (run only when named). */
    AIMLE_CALIBRATED_CENTRAL("aimle-calibrated-central", "AIMLE calibrated (Central)"),
    /** AIMLE's noise-scaled preset, forward difference (beyond the paper: the step in noise units; run only when named). */
    AIMLE_NOISE_SCALED_FORWARD("aimle-noise-scaled-forward", "AIMLE noise-scaled (Forward)"),
    /** AIMLE's noise-scaled preset, central difference (run only when named). */
    AIMLE_NOISE_SCALED_CENTRAL("aimle-noise-scaled-central", "AIMLE noise-scaled (Central)");

    private final String id;
    private final String label;

    NriMethod(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The name on the command line, in directories and CSVs. */
    @Override
    @JsonValue
    public String id() {
        return id;
    }

    /** The name in tables and legends. */
    @Override
    public String label() {
        return label;
    }

    @Override
    public boolean beyondThePaper() {
        return this == AIMLE_CALIBRATED_FORWARD
                || this == AIMLE_CALIBRATED_CENTRAL
                || this == AIMLE_NOISE_SCALED_FORWARD
                || this == AIMLE_NOISE_SCALED_CENTRAL;
    }

    /** Whether the method takes IMLE's fixed lambda. */
    public boolean usesLambda() {
        return this == IMLE_FORWARD || this == IMLE_CENTRAL;
    }

    /** Whether the method is AIMLE, the paper's or a preset (its lambda changes from step to step). */
    public boolean adaptive() {
        return this == AIMLE_FORWARD || this == AIMLE_CENTRAL || beyondThePaper();
    }

    /** Whether the method perturbs with Gumbel noise (SST) rather than Sum-of-Gamma. */
    public boolean gumbelNoise() {
        return this == SST;
    }

    /**
     * A fresh estimator.
     *
     * @param spec the run, for lambda, the paper's AIMLE's target c and the SST temperature (the
     *     calibrated preset chooses its own target)
     */
    public GradientEstimator create(NriSpec spec) {
        return switch (this) {
            case SST -> Estimators.sst(spec.sstTemperature());
            case IMLE_FORWARD ->
                Estimators.imle().lambda(spec.lambda()).scaleGradient(false).build();
            case IMLE_CENTRAL ->
                Estimators.imle()
                        .lambda(spec.lambda())
                        .central()
                        .scaleGradient(false)
                        .build();
            case AIMLE_FORWARD -> Estimators.aimle().target(spec.target()).build();
            case AIMLE_CENTRAL ->
                Estimators.aimle().target(spec.target()).central().build();
            case STE -> Estimators.ste();
            case AIMLE_CALIBRATED_FORWARD -> CalibratedAimle.of("forward");
            case AIMLE_CALIBRATED_CENTRAL -> CalibratedAimle.of("central");
            case AIMLE_NOISE_SCALED_FORWARD -> NoiseScaledAimle.of("forward");
            case AIMLE_NOISE_SCALED_CENTRAL -> NoiseScaledAimle.of("central");
        };
    }

    /**
     * The method of this id.
     *
     * @throws IllegalArgumentException naming the known ids
     */
    @JsonCreator
    public static NriMethod parse(String id) {
        return Method.parse(NriMethod.class, id);
    }

    /** The ids, comma-separated. */
    public static String ids() {
        return Method.ids(NriMethod.class);
    }
}
