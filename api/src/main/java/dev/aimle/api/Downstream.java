package dev.aimle.api;

import ai.djl.ndarray.NDArray;
import java.util.Objects;
import java.util.Optional;

/**
 * What the downstream loss says about the samples.
 *
 * @param gradient {@code dL/dz}, shape of the samples {@code [B*S, ...]}
 * @param lossPerSample the loss of each sample, {@code [B*S]}, or null when unknown; the
 *     score-function estimator needs it
 */
public record Downstream(NDArray gradient, NDArray lossPerSample) {

    /** Requires the gradient. */
    public Downstream {
        Objects.requireNonNull(gradient, "gradient");
    }

    /** The gradient alone. */
    public static Downstream ofGradient(NDArray gradient) {
        return new Downstream(gradient, null);
    }

    /** The per-sample losses, when known. */
    public Optional<NDArray> lossValues() {
        return Optional.ofNullable(lossPerSample);
    }
}
