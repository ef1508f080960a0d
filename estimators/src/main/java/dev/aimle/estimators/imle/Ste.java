package dev.aimle.estimators.imle;

import ai.djl.ndarray.NDArray;
import dev.aimle.api.Sample;

/**
 * The straight-through estimator (Bengio, Léonard and Courville 2013): the samples are drawn by
 * Perturb-and-MAP and the backward pass treats the solver as the identity, {@code g = dy} (zero at
 * masked positions), averaged over the S samples. For a minimising solver the identity is taken on
 * the maximiser it is, {@code MAP(theta) = argmax <z, -theta>}, so {@code g = -dy}: without the
 * flip, training would lower the costs of the cells a loss wants out of the path. The reference
 * implementation's STE ignores the solver's sense; this one deliberately does not (the IMLE family
 * flips the same way). Stateless and thread-safe.
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
        return senseSign(sample.perturbation()) > 0 ? dy.duplicate() : dy.neg();
    }

    @Override
    protected float[] estimateOnHost(Sample sample, HostInputs in) {
        if (senseSign(sample.perturbation()) > 0) {
            return in.dy();
        }
        float[] negated = new float[in.dy().length];
        for (int i = 0; i < negated.length; i++) {
            negated[i] = -in.dy()[i];
        }
        return negated;
    }

    @Override
    public String toString() {
        return "STE";
    }
}
