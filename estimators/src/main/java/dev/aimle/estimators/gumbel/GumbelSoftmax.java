package dev.aimle.estimators.gumbel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimle.api.Downstream;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.PerturbAndMapEstimator;

/**
 * The Gumbel-softmax (concrete) relaxation of a categorical variable (Jang, Gu and Poole 2017;
 * Maddison, Mnih and Teh 2017), the natural baseline for k = 1: the forward pass returns the relaxed
 * sample {@code y = softmax((theta + tau_in * eps) / t)} over the last axis, not a MAP state, and the
 * backward pass is its exact Jacobian, {@code g = y * (dy - <dy, y>) / t}, averaged over the samples.
 * Use it with Gumbel noise. The perturbation's solver is not called. Stateless and thread-safe.
 */
public final class GumbelSoftmax extends PerturbAndMapEstimator {
    private final double temperature;

    /** @param temperature the softmax temperature t, finite and greater than 0 */
    public GumbelSoftmax(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(
                    "temperature (" + temperature + ") must be a finite number greater than 0");
        }
        this.temperature = temperature;
    }

    /** The softmax temperature. */
    public double temperature() {
        return temperature;
    }

    @Override
    public String name() {
        return "gumbel-softmax";
    }

    @Override
    protected NDArray sampleFrom(NDArray perturbed, Perturbation perturbation) {
        return perturbed.div(temperature).softmax(-1);
    }

    @Override
    protected NDArray estimate(Sample sample, Perturbation perturbation, Downstream downstream, NDManager scope) {
        NDArray y = sample.z();
        NDArray dy = downstream.gradient();
        NDArray inner = dy.mul(y).sum(new int[] {-1}, true);
        return y.mul(dy.sub(inner)).divi(temperature);
    }

    @Override
    public String toString() {
        return "Gumbel-softmax(t=" + temperature + ")";
    }
}
