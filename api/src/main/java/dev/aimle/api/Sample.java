package dev.aimle.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link GradientEstimator#forward}: the samples, and everything the backward pass
 * needs, including the {@link Perturbation} they were drawn with. Because the sample carries its
 * perturbation, a backward pass can never be given another solver, noise, sample count or
 * temperature than the forward pass used (SPI 0.2). The arrays are owned by the manager of the
 * {@code theta} passed to the forward pass; this object does not close them.
 *
 * @param perturbation the solver, noise, S and temperatures the samples were drawn with
 * @param theta a detached copy of the scores, {@code [B, ...]}
 * @param mask the padding mask, boolean, shape of theta, true where a position may be selected; null
 *     when every position may be
 * @param noise the unscaled forward noise eps, {@code [B*S, ...]}, reused by the backward pass; null
 *     for estimators that do not perturb (the score-function estimator samples exactly)
 * @param z the samples, {@code [B*S, ...]}
 */
public record Sample(Perturbation perturbation, NDArray theta, NDArray mask, NDArray noise, NDArray z) {

    /** Checks that the shapes agree. */
    public Sample {
        Objects.requireNonNull(perturbation, "perturbation");
        Objects.requireNonNull(theta, "theta");
        Objects.requireNonNull(z, "z");
        Shapes.requireRepeated("z", z, theta, perturbation.samples());
        if (noise != null) {
            Shapes.requireRepeated("noise", noise, theta, perturbation.samples());
        }
        if (mask != null) {
            if (mask.getDataType() != DataType.BOOLEAN) {
                throw new IllegalArgumentException("mask must be boolean, got " + mask.getDataType());
            }
            Shapes.requireRepeated("mask", mask, theta, 1);
        }
    }

    /** S, the number of samples per instance. */
    public int samples() {
        return perturbation.samples();
    }

    /** The batch size B of theta. */
    public long batchSize() {
        return theta.getShape().get(0);
    }

    /** The padding mask, when there is one. */
    public Optional<NDArray> maskValues() {
        return Optional.ofNullable(mask);
    }
}
