package dev.aimle.estimators;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The layout of samples shared by every estimator and layer: theta is {@code [B, ...]}; the S
 * samples of instance b are rows {@code b*S .. b*S+S-1} of a {@code [B*S, ...]} array. These
 * helpers convert between the two, so that a decoder, a loss or a metric never re-derives the order.
 */
public final class SampleLayout {
    private SampleLayout() {}

    /**
     * A per-instance array {@code [B, ...]} repeated to {@code [B*S, ...]} in the samples' order (for
     * the inputs a decoder reconstructs, or the targets of a loss).
     *
     * @return a new array on {@code perInstance}'s manager (a duplicate when S = 1)
     */
    public static NDArray repeat(NDArray perInstance, int samples) {
        requireSamples(samples);
        requireBatchAxis("the array to repeat", perInstance);
        return samples == 1 ? perInstance.duplicate() : perInstance.repeat(0, samples);
    }

    /**
     * A per-instance array {@code [B, ...]} repeated so that its first axis matches {@code samples}
     * {@code [B*S, ...]}: the same call serves training (S samples) and evaluation (one MAP state).
     *
     * @throws IllegalArgumentException if the first axis of {@code samples} is not a multiple of B
     */
    public static NDArray repeatLike(NDArray perInstance, NDArray samples) {
        requireBatchAxis("the array to repeat", perInstance);
        requireBatchAxis("samples", samples);
        long b = perInstance.getShape().get(0);
        long rows = samples.getShape().get(0);
        if (b == 0 ? rows != 0 : rows % b != 0) {
            throw new IllegalArgumentException("samples have " + rows + " rows, not a multiple of the batch size " + b
                    + " of the array to repeat (shape " + perInstance.getShape() + ")");
        }
        return repeat(perInstance, b == 0 ? 1 : Math.toIntExact(rows / b));
    }

    /** A view {@code [B, S, ...]} of samples {@code [B*S, ...]}. */
    public static NDArray bySample(NDArray samples, int samplesPerInstance) {
        return samples.reshape(groupedShape(samples.getShape(), samplesPerInstance));
    }

    /** The mean over the S samples of each instance: {@code [B*S, ...]} to {@code [B, ...]}. */
    public static NDArray meanOverSamples(NDArray samples, int samplesPerInstance) {
        Shape grouped = groupedShape(samples.getShape(), samplesPerInstance);
        if (samplesPerInstance == 1) {
            return samples.duplicate();
        }
        if (grouped.get(0) == 0) {
            return samples.getManager().zeros(new Shape(0).addAll(grouped.slice(2)), samples.getDataType());
        }
        return samples.reshape(grouped).mean(new int[] {1});
    }

    /**
     * Samples of multi-row instances {@code [B*S, r, n]} (e.g. the DVAE's 20 rows of 20) as the flat
     * rows a dense decoder takes, {@code [B*S, r*n]}; the sample order is kept.
     */
    public static NDArray flattenInstances(NDArray samples) {
        requireBatchAxis("samples", samples);
        Shape shape = samples.getShape();
        return samples.reshape(shape.get(0), shape.slice(1).size());
    }

    private static Shape groupedShape(Shape shape, int samplesPerInstance) {
        requireSamples(samplesPerInstance);
        if (shape.dimension() < 1 || shape.get(0) % samplesPerInstance != 0) {
            throw new IllegalArgumentException("samples of shape " + shape + " do not have S = " + samplesPerInstance
                    + " rows per instance (the first axis must be B*S)");
        }
        return new Shape(shape.get(0) / samplesPerInstance, samplesPerInstance).addAll(shape.slice(1));
    }

    private static void requireSamples(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples (" + samples + ") must be at least 1");
        }
    }

    private static void requireBatchAxis(String name, NDArray array) {
        if (array.getShape().dimension() < 1) {
            throw new IllegalArgumentException(name + " must have a batch axis, got shape " + array.getShape());
        }
    }
}
