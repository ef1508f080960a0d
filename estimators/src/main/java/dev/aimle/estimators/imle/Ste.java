package dev.aimle.estimators.imle;

import ai.djl.ndarray.NDArray;
import dev.aimle.api.Sample;

/**
 * The straight-through estimator (Bengio, Léonard and Courville 2013): the samples are drawn by
 * Perturb-and-MAP and the backward pass treats the solver as the identity, {@code g = dy} (zero at
 * masked positions), averaged over the S samples. Stateless and thread-safe.
 */
public final class Ste extends PerturbAndMapEstimator {

    /** The straight-through estimator. */
    public Ste() {
        this(true);
    }

    /** @param hostArithmetic false keeps every operation in the engine (tests compare the two paths) */
    Ste(boolean hostArithmetic) {
        super(hostArithmetic);
    }

    @Override
    public String name() {
        return "ste";
    }

    @Override
    protected NDArray estimate(Sample sample, NDArray dy, NDArray mask) {
        return dy.duplicate();
    }

    @Override
    protected float[] estimateOnHost(Sample sample, HostInputs in) {
        return in.dy();
    }

    @Override
    public String toString() {
        return "STE";
    }
}
