package dev.aimle.app.experiments.warcraft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.estimators.Scalars;
import java.util.Objects;

/**
 * The view of a shortest-path solver ({@code sense() == MINIMISE}) that the Warcraft methods need.
 *
 * <ul>
 *   <li>{@link #nonNegative}: costs below 0 are raised to 0 before solving, as the reference's {@code
 *       map_estimator} does ({@code sanitise_weights}: {@code np.maximum(weights, 0)}) and its
 *       black-box backward ({@code np.maximum(weights + lambda * grad, 0)}). The targets of IMLE for a
 *       minimiser, {@code θ + λ·dL/dz}, go negative wherever the true path lies; Dijkstra cannot take
 *       them, and a solver that refuses them by name would stop the run.
 * </ul>
 */
final class CostSolvers {
    private CostSolvers() {}

    /** {@code solver} on {@code max(θ, 0)}. */
    static MapSolver nonNegative(MapSolver solver) {
        return new NonNegative(solver);
    }

    private record NonNegative(MapSolver inner) implements MapSolver {
        NonNegative {
            Objects.requireNonNull(inner, "inner");
        }

        @Override
        public NDArray solve(NDArray theta) {
            try (NDManager scope = theta.getManager().newSubManager()) {
                NDArray clamped = Scalars.maximum(theta, 0);
                clamped.attach(scope);
                NDArray out = inner.solve(clamped);
                out.attach(theta.getManager());
                return out;
            }
        }

        @Override
        public float[] solveOnHost(float[] theta, Shape shape, NDManager scratch) {
            float[] clamped = new float[theta.length];
            for (int i = 0; i < theta.length; i++) {
                // NaN is passed on (not clamped) so that the solver names it
                clamped[i] = theta[i] < 0 ? 0f : theta[i];
            }
            return inner.solveOnHost(clamped, shape, scratch);
        }

        @Override
        public Sense sense() {
            return inner.sense();
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public boolean isBatchedOnDevice() {
            return inner.isBatchedOnDevice();
        }
    }
}
