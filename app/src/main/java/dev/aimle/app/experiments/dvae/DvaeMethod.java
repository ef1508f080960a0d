package dev.aimle.app.experiments.dvae;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.aimle.api.GradientEstimator;
import dev.aimle.app.harness.Method;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.Schedule;
import dev.aimle.estimators.imle.CalibratedAimle;
import dev.aimle.estimators.imle.NoiseScaledAimle;

/** The gradient estimators of the DVAE experiment (paper Fig. 5-8), in the order of its legends. */
public enum DvaeMethod implements Method {
    /** AIMLE, forward difference, the paper's defaults (c = 1 non-zero per row of 20). */
    AIMLE_FORWARD("aimle-forward", "AIMLE (forward)"),
    /** AIMLE, central difference. */
    AIMLE_CENTRAL("aimle-central", "AIMLE (central)"),
    /** IMLE with a fixed lambda, forward difference. */
    IMLE_FORWARD("imle-forward", "IMLE (forward)"),
    /** IMLE with a fixed lambda, central difference. */
    IMLE_CENTRAL("imle-central", "IMLE (central)"),
    /** The straight-through estimator. */
    STE("ste", "STE"),
    /** Gumbel-softmax (K = 1 only), temperature annealed as in the reference code. */
    GUMBEL_SOFTMAX("gumbel-softmax", "Gumbel-softmax"),
    /** AIMLE's calibrated preset (beyond the paper: alpha calibrated on the first batch, target c(S)), forward. */
    AIMLE_CALIBRATED_FORWARD("aimle-calibrated-forward", "AIMLE calibrated (forward)"),
    /** AIMLE's calibrated preset, central difference. */
    AIMLE_CALIBRATED_CENTRAL("aimle-calibrated-central", "AIMLE calibrated (central)"),
    /** AIMLE's noise-scaled preset (beyond the paper: the step in noise standard deviations), forward. */
    AIMLE_NOISE_SCALED_FORWARD("aimle-noise-scaled-forward", "AIMLE noise-scaled (forward)"),
    /** AIMLE's noise-scaled preset, central difference. */
    AIMLE_NOISE_SCALED_CENTRAL("aimle-noise-scaled-central", "AIMLE noise-scaled (central)");

    private final String id;
    private final String label;

    DvaeMethod(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The name on the command line, in directories, CSVs and specs. */
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

    /** Whether the method takes IMLE's fixed lambda. */
    public boolean usesLambda() {
        return this == IMLE_FORWARD || this == IMLE_CENTRAL;
    }

    /** Whether the method applies to a K-subset latent (Gumbel-softmax is categorical: K = 1). */
    public boolean supports(int k) {
        return this != GUMBEL_SOFTMAX || k == 1;
    }

    /**
     * A fresh estimator.
     *
     * @param lambda IMLE's lambda (ignored by the others)
     * @param imleScaling whether IMLE divides by lambda (the reference DVAE does not)
     * @param calibratedTarget the calibrated preset's fixed target c, or {@code null} for c(S)
     *     (ignored by the other methods)
     */
    public GradientEstimator create(double lambda, boolean imleScaling, Double calibratedTarget) {
        return switch (this) {
            case AIMLE_FORWARD -> Estimators.aimle().build();
            case AIMLE_CENTRAL -> Estimators.aimle().central().build();
            case IMLE_FORWARD ->
                Estimators.imle().lambda(lambda).scaleGradient(imleScaling).build();
            case IMLE_CENTRAL ->
                Estimators.imle()
                        .lambda(lambda)
                        .central()
                        .scaleGradient(imleScaling)
                        .build();
            case STE -> Estimators.ste();
            case AIMLE_CALIBRATED_FORWARD -> calibrated("forward", calibratedTarget);
            case AIMLE_CALIBRATED_CENTRAL -> calibrated("central", calibratedTarget);
            case AIMLE_NOISE_SCALED_FORWARD -> NoiseScaledAimle.of("forward");
            case AIMLE_NOISE_SCALED_CENTRAL -> NoiseScaledAimle.of("central");
            case GUMBEL_SOFTMAX ->
                Estimators.gumbelSoftmax(
                        Schedule.exponentialDecay(1, 3e-5, 0.5, 1000), "t=max(0.5, exp(-3e-5*step)) every 1000 steps");
        };
    }

    private static GradientEstimator calibrated(String difference, Double fixedTarget) {
        CalibratedAimle.Builder builder = CalibratedAimle.builder().difference(difference);
        return (fixedTarget == null ? builder : builder.fixedTarget(fixedTarget)).build();
    }

    /**
     * The method of this id.
     *
     * @throws IllegalArgumentException naming the known ids
     */
    @JsonCreator
    public static DvaeMethod parse(String id) {
        return Method.parse(DvaeMethod.class, id);
    }

    /** The ids, comma-separated. */
    public static String ids() {
        return Method.ids(DvaeMethod.class);
    }

    @Override
    public boolean beyondThePaper() {
        return this == AIMLE_CALIBRATED_FORWARD
                || this == AIMLE_CALIBRATED_CENTRAL
                || this == AIMLE_NOISE_SCALED_FORWARD
                || this == AIMLE_NOISE_SCALED_CENTRAL;
    }
}
