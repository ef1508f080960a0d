package dev.aimle.estimators.ste;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimle.api.Downstream;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.PerturbAndMapEstimator;

/**
 * The straight-through estimator (Bengio, Léonard and Courville 2013): the samples are drawn by
 * Perturb-and-MAP and the backward pass treats the solver as the identity, {@code g = dy},
 * averaged over the S samples. Stateless and thread-safe.
 */
public final class Ste extends PerturbAndMapEstimator {

    @Override
    public String name() {
        return "ste";
    }

    @Override
    protected NDArray estimate(Sample sample, Perturbation perturbation, Downstream downstream, NDManager scope) {
        return downstream.gradient().duplicate();
    }

    @Override
    public String toString() {
        return "STE";
    }
}
