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
 * @param carried what the estimator's forward pass hands its own backward pass beyond these arrays
 *     (for instance host copies of them), opaque to everyone else; null when nothing
 */
public record Sample(
        Perturbation perturbation, NDArray theta, NDArray mask, NDArray noise, NDArray z, Carried carried) {

    /**
     * What an estimator's forward pass leaves in its {@link Sample} for its backward pass, beyond the
     * arrays every sample has. Only the estimator that made the sample reads it; carrying it in the
     * sample (rather than in the estimator) keeps estimators free of per-sample state, so a sample may
     * be backpropagated once, several times or never without the estimator keeping anything.
     */
    public interface Carried {}

    /** A sample that carries nothing beyond its arrays (the form of SPI 0.2.0). */
    public Sample(Perturbation perturbation, NDArray theta, NDArray mask, NDArray noise, NDArray z) {
        this(perturbation, theta, mask, noise, z, null);
    }

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

    /**
     * The padding mask, when there is one.
     *
     * @deprecated a second name for {@link #mask()}; use {@code Optional.ofNullable(sample.mask())}
     */
    @Deprecated
    public Optional<NDArray> maskValues() {
        return Optional.ofNullable(mask);
    }
}
