package dev.aimle.solvers.topk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * How a score array {@code [B, ..., n]} splits into rows of the last axis, after the checks that the
 * solver and the distribution share: at least two axes, float32, {@code 1 <= k <= n}.
 *
 * @param rows the number of rows of the last axis ({@code B * ...})
 * @param n the length of a row (the size of the last axis)
 */
record RowLayout(int rows, int n) {

    /**
     * Validates {@code theta} for a top-k of size {@code k} and returns its row layout.
     *
     * @param owner who checks, for the messages, e.g. {@code "solver 'topk'"}
     * @throws IllegalArgumentException on a wrong rank or dtype, or k outside {@code [1, n]}
     */
    static RowLayout of(String owner, NDArray theta, int k) {
        if (theta.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(owner + " expects float32 scores, got " + theta.getDataType());
        }
        return of(owner, theta.getShape(), k);
    }

    /** As {@link #of(String, NDArray, int)} for float32 scores of {@code shape}. */
    static RowLayout of(String owner, Shape shape, int k) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException(owner
                    + " expects theta of shape [B, ..., n] with at least 2 axes (a batch axis and"
                    + " the axis of n scores), got shape "
                    + shape
                    + " of rank "
                    + shape.dimension());
        }
        long n = shape.get(shape.dimension() - 1);
        requireK(k, n);
        long size = shape.size();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    owner + " supports at most " + Integer.MAX_VALUE + " scores, got shape " + shape);
        }
        return new RowLayout((int) (size / n), (int) n);
    }

    /** Requires {@code 1 <= k <= n}, with the message the solver and distribution share. */
    static void requireK(int k, long n) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k (" + k + ") must be between 1 and the instance size (" + n + ")");
        }
    }
}
