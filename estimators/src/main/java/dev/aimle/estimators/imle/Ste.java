package dev.aimle.estimators.imle;

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
    <A> A estimate(Kernel<A> kernel, Sample sample) {
        return Algorithm1.straightThrough(kernel, sample.perturbation());
    }

    @Override
    public String toString() {
        return "STE";
    }
}
