package dev.aimle.api;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Estimates {@code grad_theta E_{z ~ p(z; theta)}[f(z)]} through a discrete component (AAAI-23
 * paper, Eq. 1 and 3).
 *
 * <p>The forward pass draws S samples per instance, usually by Perturb-and-MAP:
 * {@code z_i = MAP(theta + tau_in * eps_i)}, keeping {@code eps_i} for the backward pass. The
 * backward pass receives {@code dL/dz_i} for every sample and returns the estimate of
 * {@code dL/dtheta}, averaged over the S samples, with the shape of theta.
 *
 * <p><b>Shapes.</b> theta is {@code [B, ...]}; samples, noise and downstream gradients are
 * {@code [B*S, ...]} with the S samples of instance b at rows {@code b*S .. b*S+S-1}.
 *
 * <p><b>Memory.</b> Every array returned is attached to the manager of the theta passed to
 * {@link #forward}; temporaries are closed before returning.
 *
 * <p><b>State.</b> Stateful estimators (AIMLE's adaptive lambda) expose their state through
 * {@link #state()} and accept it back through {@link #restoreState(Map)} so that training resumes
 * exactly. Unless documented otherwise an estimator instance must not be used from several threads
 * at once.
 */
public interface GradientEstimator {

    /** The provider name, e.g. {@code "aimle"}. */
    String name();

    /**
     * Draws {@code perturbation.samples()} samples per instance.
     *
     * @param theta scores {@code [B, ...]}, finite
     * @param mask a padding mask with theta's shape (boolean, or numbers where non-zero means
     *     valid), or null for none: masked positions are never selected, and for AIMLE count
     *     neither in {@code ||theta||} nor in the non-zero entries; refused by estimators whose
     *     {@link #supportsMask()} is false
     * @param perturbation the solver, noise, sample count and temperatures
     * @param random the source of randomness for the noise
     * @return the samples, what the backward pass needs, and the perturbation itself
     * @throws IllegalArgumentException on NaN/Inf in theta, a mask of another shape, or a mask that
     *     leaves an instance without a feasible state
     */
    Sample forward(NDArray theta, NDArray mask, Perturbation perturbation, RandomGenerator random);

    /** {@link #forward(NDArray, NDArray, Perturbation, RandomGenerator)} without a mask. */
    default Sample forward(NDArray theta, Perturbation perturbation, RandomGenerator random) {
        return forward(theta, null, perturbation, random);
    }

    /**
     * Estimates {@code dL/dtheta} with the perturbation the sample was drawn with.
     *
     * @param sample what {@link #forward} returned
     * @param downstream {@code dL/dz} for every sample (and, for estimators that need it, the loss
     *     of each sample)
     * @return the estimate, shape of theta, attached to theta's manager
     * @throws IllegalArgumentException on shape mismatches or NaN/Inf in the downstream gradient
     */
    NDArray backward(Sample sample, Downstream downstream);

    /** Whether {@link #forward} accepts a padding mask. */
    default boolean supportsMask() {
        return false;
    }

    /** Whether {@link #backward} needs {@link Downstream#lossPerSample()} (true for SFE). */
    default boolean requiresLossPerSample() {
        return false;
    }

    /** The estimator's mutable state, by name (empty for stateless estimators). */
    default Map<String, Double> state() {
        return Map.of();
    }

    /**
     * Restores a state previously returned by {@link #state()}.
     *
     * @throws IllegalArgumentException if the map does not hold exactly this estimator's keys
     */
    default void restoreState(Map<String, Double> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(
                    "estimator '" + name() + "' is stateless but was given state " + state.keySet());
        }
    }
}
