package dev.aimle.app.experiments.l2x;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.aimle.api.GradientEstimator;
import dev.aimle.app.harness.Method;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.imle.CalibratedAimle;
import dev.aimle.estimators.imle.NoiseScaledAimle;
import dev.aimle.estimators.relaxed.KSubsetRelaxation;

/**
 * The methods of the learning-to-explain experiment (paper Table 1), in the table's order. The
 * temperature t means, per method: the scale of the perturbation {@code theta + t * eps} for the
 * perturb-and-MAP estimators (the forward sample and the backward targets share it), the softmax
 * temperature for the relaxations and SST (whose perturbation is Gumbel(0, 1) at scale 1).
 */
public enum L2xMethod implements Method {
    /** The table's floor: a fixed explainer that selects k random tokens ({@link FixedExplainer}). */
    RANDOM("random", "random"),
    /** SoftSub (Xie and Ermon 2019), relaxed top-k by k successive softmaxes. */
    SOFTSUB("softsub", "SoftSub"),
    /** L2X (Chen et al. 2018), the elementwise max of k Gumbel-softmax draws. */
    L2X("l2x", "L2X"),
    /** The straight-through estimator over perturbed top-k. */
    STE("ste", "STE"),
    /**
     * The stochastic softmax trick, hard (Paulus et al. 2020): top-k of Gumbel-perturbed scores
     * forward, the Jacobian of the k-subset marginals at temperature t backward.
     */
    SST("sst", "SST"),
    /** IMLE, forward difference, fixed lambda. */
    IMLE_FORWARD("imle-forward", "IMLE (F)"),
    /** IMLE, central difference, fixed lambda. */
    IMLE_CENTRAL("imle-central", "IMLE (C)"),
    /** AIMLE, forward difference, the paper's defaults. */
    AIMLE_FORWARD("aimle-forward", "AIMLE (F)"),
    /** AIMLE, central difference. */
    AIMLE_CENTRAL("aimle-central", "AIMLE (C)"),
    /**
     * AIMLE's calibrated preset, forward difference (beyond the paper: alpha calibrated on the first
     * batch, a target for S; run only when named).
     */
    AIMLE_CALIBRATED_FORWARD("aimle-calibrated-forward", "AIMLE calibrated (F)"),
    /** AIMLE's calibrated preset, central difference (run only when named). */
    AIMLE_CALIBRATED_CENTRAL("aimle-calibrated-central", "AIMLE calibrated (C)"),
    /** AIMLE's noise-scaled preset, forward difference (beyond the paper: the step in noise units; run only when named). */
    AIMLE_NOISE_SCALED_FORWARD("aimle-noise-scaled-forward", "AIMLE noise-scaled (F)"),
    /** AIMLE's noise-scaled preset, central difference (run only when named). */
    AIMLE_NOISE_SCALED_CENTRAL("aimle-noise-scaled-central", "AIMLE noise-scaled (C)"),
    /** The table's ceiling: a fixed explainer that selects k tokens of the rationale ({@link FixedExplainer}). */
    ORACLE("oracle", "oracle");

    private final String id;
    private final String label;

    L2xMethod(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The name on the command line and in directories. */
    @Override
    @JsonValue
    public String id() {
        return id;
    }

    /** The name in tables, as the paper writes it. */
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

    /** Whether the method is a fixed explainer of the table's scale, trained only in its predictor. */
    public boolean fixed() {
        return this == RANDOM || this == ORACLE;
    }

    /** The relaxation of a relaxation baseline, null for an estimator over top-k. */
    public KSubsetRelaxation relaxation() {
        return switch (this) {
            case SOFTSUB -> KSubsetRelaxation.SOFTSUB;
            case L2X -> KSubsetRelaxation.L2X;
            default -> null;
        };
    }

    /**
     * A fresh estimator for an estimator method.
     *
     * @param lambda IMLE's lambda (ignored by the others)
     * @param imleScaling whether IMLE divides by lambda (the reference's L2X does not)
     * @param temperature SST's temperature (ignored by the others)
     * @throws IllegalStateException for a relaxation or a fixed explainer
     */
    public GradientEstimator estimator(double lambda, boolean imleScaling, double temperature) {
        return switch (this) {
            case AIMLE_FORWARD -> Estimators.aimle().build();
            case AIMLE_CENTRAL -> Estimators.aimle().central().build();
            case AIMLE_CALIBRATED_FORWARD -> CalibratedAimle.of("forward");
            case AIMLE_CALIBRATED_CENTRAL -> CalibratedAimle.of("central");
            case AIMLE_NOISE_SCALED_FORWARD -> NoiseScaledAimle.of("forward");
            case AIMLE_NOISE_SCALED_CENTRAL -> NoiseScaledAimle.of("central");
            case IMLE_FORWARD ->
                Estimators.imle().lambda(lambda).scaleGradient(imleScaling).build();
            case IMLE_CENTRAL ->
                Estimators.imle()
                        .lambda(lambda)
                        .central()
                        .scaleGradient(imleScaling)
                        .build();
            case STE -> Estimators.ste();
            case SST -> Estimators.sst(temperature);
            case SOFTSUB, L2X -> throw new IllegalStateException(label + " is a relaxation, not an estimator");
            case RANDOM, ORACLE -> throw new IllegalStateException(label + " is a fixed explainer, not an estimator");
        };
    }

    /**
     * The method of this id.
     *
     * @throws IllegalArgumentException naming the known ids
     */
    @JsonCreator
    public static L2xMethod parse(String id) {
        return Method.parse(L2xMethod.class, id);
    }

    /** The ids, comma-separated. */
    public static String ids() {
        return Method.ids(L2xMethod.class);
    }
}
