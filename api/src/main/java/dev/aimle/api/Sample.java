package dev.aimle.api;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * The result of {@link GradientEstimator#forward}: the samples and what the backward pass needs.
 * The arrays are owned by the manager of {@code theta}; this object does not close them.
 *
 * @param theta a detached copy of the scores, {@code [B, ...]}
 * @param noise the unscaled forward noise eps, {@code [B*S, ...]}, reused by the backward pass; null
 *     for estimators that do not perturb (the score-function estimator samples exactly)
 * @param z the samples, {@code [B*S, ...]}
 * @param samples S
 */
public record Sample(NDArray theta, NDArray noise, NDArray z, int samples) {

    /** Checks that the shapes agree. */
    public Sample {
        Objects.requireNonNull(theta, "theta");
        Objects.requireNonNull(z, "z");
        if (samples < 1) {
            throw new IllegalArgumentException("samples (" + samples + ") must be at least 1");
        }
        Shapes.requireRepeated("z", z, theta, samples);
        if (noise != null) {
            Shapes.requireRepeated("noise", noise, theta, samples);
        }
    }

    /** The batch size B of theta. */
    public long batchSize() {
        return theta.getShape().get(0);
    }
}
