package ${package};

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.FeasibleSet;
import dev.aimle.api.PerInstanceMapSolver;
import java.util.Optional;

/**
 * {@code MAP(theta) = argmax_{z in C} <z, theta>} for every instance of a batch, where C (here) is
 * the set of one-hot vectors: the largest score, ties to the lower index. Replace
 * {@link #solveInstance} with your algorithm (it receives the instance's shape, e.g. the {@code [H,
 * W]} of a grid), {@link #validateInstanceShape} with the shapes it accepts and {@link #feasibleSet}
 * with your C; the base class checks rank, dtype and NaN/Inf, batches the rows in parallel and
 * returns float32 on the input's device.
 *
 * <p>What the solver declares is what the contract test, {@code aimle verify}, {@code bench} and
 * {@code demo} use: {@link #exampleInstanceShape} (a small shape, at most 20 entries so that
 * optimality is checked by enumeration), {@link #feasibleSet}, and, when yours differ from the
 * defaults, {@code sense()} ({@code MINIMISE} for a shortest path), {@code scoreDomain()} ({@code
 * NON_NEGATIVE} for costs Dijkstra needs) and {@code naturalUnit()} ({@code INSTANCE} when the whole
 * instance is one structure, a path or a tree: AIMLE's target then counts per instance).
 */
final class Solver extends PerInstanceMapSolver {

    Solver(int parallelism) {
        super(parallelism);
    }

    @Override
    public String name() {
        return SolverProvider.NAME;
    }

    /** Instances are vectors {@code [n]}, n at least 1: theta is {@code [B, n]}. */
    @Override
    protected void validateInstanceShape(Shape instance) {
        if (instance.dimension() != 1) {
            throw new IllegalArgumentException(
                    "solver '" + name() + "' expects theta [B, n], got instances of shape " + instance);
        }
        validateInstanceSize((int) instance.get(0));
    }

    @Override
    protected void validateInstanceSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("instance size (" + size + ") must be at least 1");
        }
    }

    /** {@code [7]}: the shape the contract test and {@code aimle verify} check by default. */
    @Override
    public Optional<Shape> exampleInstanceShape() {
        return Optional.of(new Shape(7));
    }

    /** C, for the contract test and {@code aimle verify}: exactly one item chosen. */
    @Override
    public Optional<FeasibleSet> feasibleSet() {
        return Optional.of((z, instanceShape) -> {
            int ones = 0;
            for (float v : z) {
                ones += v == 1f ? 1 : 0;
            }
            return ones == 1;
        });
    }

    @Override
    protected void solveInstance(float[] scores, Shape instanceShape, float[] solution) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        solution[best] = 1f;
    }
}
