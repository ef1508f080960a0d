package dev.aimle.estimators.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Sample;
import dev.aimle.estimators.SampleLayout;

/**
 * The samples a {@link DiscreteLayer} drew for one batch, and what its backward pass needs.
 *
 * <p>{@link #values()} is a leaf {@code [B*S, ...]} that requires a gradient: feed it to the
 * downstream computation. Rows {@code b*S .. b*S+S-1} belong to instance b; {@link #repeat} lays
 * out other per-instance arrays (inputs, targets) the same way. {@link #scores()} is theta as a
 * leaf for loss terms on the scores themselves (a KL regulariser): its gradient is added to the
 * estimate in the backward pass, so the encoder receives both through one backward pass.
 *
 * <p><b>Memory.</b> The sample owns a sub-manager of theta's manager holding the leaf and the
 * estimator's arrays; {@link #close()} frees them early, otherwise they are freed with theta's
 * manager. Theta itself belongs to the caller. DJL attaches the result of an operation to its first
 * operand's manager, so arrays computed from {@link #values()} (a decoder's output, the loss) live
 * in the same sub-manager and are freed with the sample too: close it after the backward pass.
 *
 * <p>Not thread-safe; backpropagated at most once.
 */
public final class DiscreteSample implements AutoCloseable {
    private final DiscreteLayer layer;
    private final NDManager owner;
    private final NDArray theta;
    private final Sample estimate;
    private final NDArray values;
    private final Shape shape;
    private NDArray scores;
    private boolean backpropagated;

    DiscreteSample(DiscreteLayer layer, NDManager owner, NDArray theta, Sample estimate, NDArray values) {
        this.layer = layer;
        this.owner = owner;
        this.theta = theta;
        this.estimate = estimate;
        this.values = values;
        this.shape = values.getShape();
    }

    /** The samples {@code z [B*S, ...]}, float32, a leaf that requires a gradient. */
    public NDArray values() {
        return values;
    }

    /** The scores this sample was drawn from, with their graph, {@code [B, ...]}. */
    public NDArray theta() {
        return theta;
    }

    /**
     * Theta {@code [B, ...]} as a leaf that requires a gradient, for loss terms that depend on the
     * scores directly (e.g. {@code KL(softmax(theta) || uniform)}): the gradient such a term puts on
     * this leaf reaches the encoder with the estimate, in the same backward pass. Use it instead of
     * theta in the loss; theta's own graph must not be backpropagated before the layer's backward.
     */
    public NDArray scores() {
        if (scores == null) {
            scores = theta.stopGradient();
            scores.attach(owner);
            scores.setRequiresGradient(true);
        }
        return scores;
    }

    /** The gradient the loss put on {@link #scores()}, or null if they were not used. */
    NDArray scoresGradient() {
        return scores == null ? null : scores.getGradient();
    }

    /** What the estimator's forward pass returned (detached theta, noise, z). */
    public Sample estimate() {
        return estimate;
    }

    /** S, the number of samples per instance. */
    public int samples() {
        return estimate.samples();
    }

    /** The layer that drew this sample. */
    public DiscreteLayer layer() {
        return layer;
    }

    /** Whether the backward pass has already used this sample. */
    public boolean isBackpropagated() {
        return backpropagated;
    }

    /** Whether {@link #close()} has not been called (and theta's manager is still open). */
    public boolean isOpen() {
        return owner.isOpen();
    }

    /**
     * Repeats a per-instance array {@code [B, ...]} to {@code [B*S, ...]} in the samples' order
     * (instance b at rows {@code b*S .. b*S+S-1}), e.g. the inputs a decoder reconstructs.
     *
     * @param perInstance an array whose first axis is the batch B of theta
     * @return a new array attached to {@code perInstance}'s manager (the array itself when S = 1)
     */
    public NDArray repeat(NDArray perInstance) {
        long batch = theta.getShape().get(0);
        if (perInstance.getShape().dimension() < 1 || perInstance.getShape().get(0) != batch) {
            throw new IllegalArgumentException("the array to repeat has shape " + perInstance.getShape()
                    + " but its first axis must be the batch size " + batch + " of theta");
        }
        return samples() == 1 ? perInstance : SampleLayout.repeat(perInstance, samples());
    }

    void markBackpropagated() {
        backpropagated = true;
    }

    /** Frees the leaf and the estimator's arrays. Theta is not touched. */
    @Override
    public void close() {
        owner.close();
    }

    @Override
    public String toString() {
        return "DiscreteSample[" + shape + ", S=" + samples() + (backpropagated ? ", backpropagated" : "")
                + (owner.isOpen() ? "" : ", closed") + "]";
    }
}
