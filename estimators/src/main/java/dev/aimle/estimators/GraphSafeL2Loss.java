package dev.aimle.estimators;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * DJL's {@link ai.djl.training.loss.L2Loss} ({@code weight * mean((prediction - label)^2)}, weight
 * 1/2 by default) without its freed-scalar hazard: DJL 0.36's {@code L2Loss} multiplies by the weight
 * with {@code mul(Number)}, whose scalar autograd keeps for the backward pass after the engine has
 * freed it (see {@link Scalars}), so its gradient can be silently wrong. This class computes the same
 * value with {@link Scalars#mul}. The other DJL losses multiply by their weight only when it is not
 * 1 (their defaults are safe); the README's "DJL's built-ins" lists every affected class.
 */
public final class GraphSafeL2Loss extends Loss {
    private final double weight;

    /** Weight 1/2, as DJL's {@code Loss.l2Loss()}. */
    public GraphSafeL2Loss() {
        this("L2Loss", 0.5);
    }

    /**
     * @param name the loss's name in training results
     * @param weight the factor of the mean squared difference, finite
     */
    public GraphSafeL2Loss(String name, double weight) {
        super(name);
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("L2 loss weight (" + weight + ") must be finite");
        }
        this.weight = weight;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray prediction = predictions.singletonOrThrow();
        NDArray label = labels.singletonOrThrow().reshape(prediction.getShape());
        return Scalars.mul(prediction.sub(label).square(), weight).mean();
    }
}
