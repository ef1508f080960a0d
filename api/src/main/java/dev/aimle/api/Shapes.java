package dev.aimle.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Shape and value checks shared by the SPI's value types and implementations. */
public final class Shapes {
    private Shapes() {}

    /**
     * Requires {@code array} to have shape {@code [B*S, ...]} for {@code reference} of shape
     * {@code [B, ...]}.
     */
    public static void requireRepeated(String name, NDArray array, NDArray reference, int samples) {
        Shape ref = reference.getShape();
        if (ref.dimension() < 1) {
            throw new IllegalArgumentException("theta must have a batch axis, got shape " + ref);
        }
        Shape expected = new Shape(ref.get(0) * samples).addAll(ref.slice(1));
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException(name
                    + " has shape "
                    + array.getShape()
                    + " but theta "
                    + ref
                    + " with "
                    + samples
                    + " samples needs "
                    + expected);
        }
    }

    /**
     * Requires every value to be finite, naming the first offending position.
     *
     * @throws IllegalArgumentException naming the array, the index and the value
     */
    public static void requireFinite(String name, NDArray array) {
        if (array.getShape().size() == 0) {
            return;
        }
        // One reduction on the array's device: NaN and infinities propagate into the sum. Only when it
        // is not finite are the values copied to the host, to name the first bad one (a sum that merely
        // overflowed finds none and passes).
        try (NDArray sum = array.sum();
                NDArray value = sum.toType(DataType.FLOAT32, true)) {
            if (Float.isFinite(value.getFloat())) {
                return;
            }
        }
        requireFinite(name, array.toFloatArray(), array.getShape());
    }

    /** As {@link #requireFinite(String, NDArray)} on values already copied to the host. */
    public static void requireFinite(String name, float[] values, Shape shape) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(name
                        + formatIndex(shape, i)
                        + " is "
                        + values[i]
                        + "; all values must be finite (shape "
                        + shape
                        + ")");
            }
        }
    }

    /** The multi-index of a flat (row-major) position, formatted as {@code [i, j, ...]}. */
    public static String formatIndex(Shape shape, long flat) {
        long[] idx = new long[shape.dimension()];
        for (int d = shape.dimension() - 1; d >= 0; d--) {
            long size = shape.get(d);
            idx[d] = size == 0 ? 0 : flat % size;
            flat = size == 0 ? 0 : flat / size;
        }
        StringBuilder sb = new StringBuilder("[");
        for (int d = 0; d < idx.length; d++) {
            sb.append(d == 0 ? "" : ", ").append(idx[d]);
        }
        return sb.append(']').toString();
    }
}
