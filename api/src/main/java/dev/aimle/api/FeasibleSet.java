package dev.aimle.api;

import ai.djl.ndarray.types.Shape;

/**
 * The feasible set {@code C} of one instance, as a membership test: an optional capability of a
 * {@link MapSolver} ({@link MapSolver#feasibleSet()}) that lets {@code aimle verify} and the
 * contract test check optimality against enumeration on small instances. The score of a candidate
 * is always {@code <theta, z>} (the MAP objective), so membership is all a solver declares.
 */
@FunctionalInterface
public interface FeasibleSet {

    /**
     * Whether {@code z} is in {@code C}.
     *
     * @param z a binary candidate for one instance, row-major, of {@code instanceShape.size()} entries
     * @param instanceShape the instance's shape (the input's shape without its batch axis)
     */
    boolean contains(float[] z, Shape instanceShape);
}
