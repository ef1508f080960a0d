package dev.aimle.estimators;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Shapes;

/**
 * MAP states under a padding mask: positions where the mask is false are never selected. Used by
 * every estimator that calls a solver and by the noiseless evaluation path of the discrete layer, so
 * that training and evaluation treat padding alike.
 *
 * <p>A masked position's score is replaced by one strictly worse than every score of the call (for
 * a maximising solver {@code min - (max - min) - 1}, mirrored for a minimising one), so a solver
 * that can avoid it does. One that cannot (for example top-k with fewer than k valid positions) is
 * reported: the result is checked and a selected masked position throws, naming it.
 */
public final class MapStates {
    private MapStates() {}

    /**
     * Checks a padding mask against theta and returns it as a boolean array attached to
     * {@code manager}.
     *
     * @param mask boolean, or numbers where non-zero means valid; shape of theta
     * @throws IllegalArgumentException naming the shapes if they differ
     */
    public static NDArray requireMask(NDArray mask, NDArray theta, NDManager manager) {
        if (!mask.getShape().equals(theta.getShape())) {
            throw new IllegalArgumentException("the mask has shape " + mask.getShape() + " but theta has shape "
                    + theta.getShape() + "; they must be equal");
        }
        NDArray bool = mask.getDataType() == DataType.BOOLEAN
                ? mask.stopGradient()
                : mask.stopGradient().neq(0);
        bool.attach(manager);
        return bool;
    }

    /**
     * {@code solver.solve(scores)} with the masked positions never selected.
     *
     * @param scores {@code [N, ...]}
     * @param mask boolean of the same shape, or null for no mask (then this is {@code solve} itself)
     * @throws IllegalArgumentException if the solver had to select a masked position
     */
    public static NDArray solve(MapSolver solver, NDArray scores, NDArray mask) {
        if (mask == null) {
            return solver.solve(scores);
        }
        if (scores.getShape().size() == 0) {
            return solver.solve(scores);
        }
        float lo = scores.min().getFloat();
        float hi = scores.max().getFloat();
        float fill = solver.sense() == MapSolver.Sense.MAXIMISE ? lo - (hi - lo) - 1 : hi + (hi - lo) + 1;
        if (!Float.isFinite(fill)) {
            throw new IllegalArgumentException("scores in [" + lo + ", " + hi + "] are too large in magnitude to mask:"
                    + " the masked value " + fill + " overflows float32");
        }
        NDArray masked = NDArrays.where(mask, scores, scores.getManager().create(fill));
        NDArray z = solver.solve(masked);
        NDArray leaked = z.mul(mask.logicalNot().toType(DataType.FLOAT32, false));
        if (leaked.max().getFloat() > 0) {
            throw new IllegalArgumentException("solver '" + solver.name() + "' selected the masked position "
                    + firstNonZero(leaked) + " of a " + scores.getShape() + " batch: the mask leaves that instance"
                    + " no feasible state without it (e.g. fewer valid positions than k)");
        }
        return z;
    }

    private static String firstNonZero(NDArray array) {
        float[] values = array.toFloatArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0) {
                return Shapes.formatIndex(array.getShape(), i);
            }
        }
        return "?";
    }
}
