package dev.aimle.estimators.imle;

import ai.djl.ndarray.NDArray;
import dev.aimle.api.Sample;

/**
 * The straight-through estimator (Bengio, Léonard and Courville 2013): the samples are drawn by
 * Perturb-and-MAP and the backward pass treats the solver as the identity, {@code g = dy} (zero at
 * masked positions), averaged over the S samples. Stateless and thread-safe.
 */
public final class Ste extends PerturbAndMapEstimator {

    @Override
    public String name() {
        return "ste";
    }

    @Override
    protected NDArray estimate(Sample sample, NDArray dy, NDArray mask) {
        return dy.duplicate();
    }

    @Override
    public String toString() {
        return "STE";
    }
}
