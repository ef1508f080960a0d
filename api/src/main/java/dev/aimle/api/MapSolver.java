package dev.aimle.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Optional;

/**
 * A MAP oracle: for every instance of a batch, {@code MAP(theta) = argmax_{z in C} <z, theta>}
 * over a set {@code C} of binary vectors (Minervini, Franceschi, Niepert, AAAI-23, Eq. 4), or the
 * argmin for an oracle whose {@link #sense()} is {@link Sense#MINIMISE} (a shortest path, say).
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Sense.</b> Maximisation unless {@link #sense()} says {@link Sense#MINIMISE}; the
 *       estimators read the sense and perturb and sign their targets accordingly (the reference
 *       implementation's {@code _is_minimization}), so an argmin oracle is plugged in as it is.
 *   <li><b>Shapes.</b> The input is a float32 array {@code [B, ...]}: the first axis is the batch,
 *       the remaining axes form one instance (for example {@code [B, n]} for a subset of n items,
 *       {@code [B, 20, 20]} for 20 independent top-k rows in the DVAE, when the solver documents
 *       so). The output has exactly the input's shape.
 *   <li><b>Values.</b> The output is float32 with values in {0, 1}.
 *   <li><b>Device and memory.</b> The output lives on the input's device and is attached to the
 *       input's {@link ai.djl.ndarray.NDManager}; the input is neither modified nor closed.
 *   <li><b>Determinism.</b> The same input gives the same output; ties are broken by a rule each
 *       implementation documents.
 *   <li><b>Thread-safety.</b> Implementations are thread-safe unless their javadoc says otherwise.
 *   <li><b>Errors.</b> NaN or infinite scores, a wrong rank or instance size, and parameters out of
 *       range throw {@link IllegalArgumentException} naming the offending value; an infeasible
 *       program throws {@link InfeasibleProblemException}.
 * </ul>
 */
public interface MapSolver {

    /**
     * Solves every instance of the batch.
     *
     * @param theta scores {@code [B, ...]}, float32, finite
     * @return the MAP states (argmax, or argmin for {@link Sense#MINIMISE}), same shape and device
     *     as {@code theta}, float32 in {0, 1}
     * @throws IllegalArgumentException on NaN/Inf scores, wrong rank or wrong instance size
     * @throws InfeasibleProblemException when an instance has no feasible state
     */
    NDArray solve(NDArray theta);

    /**
     * Solves a batch held on the host: the same contract and the same answers as {@link
     * #solve(NDArray)} for the array of {@code shape} holding {@code theta} (row-major), the states
     * returned row-major in a new array. The estimators call it from their host arithmetic on the
     * CPU. The default copies {@code theta} into an array on {@code scratch}'s device, calls {@link
     * #solve(NDArray)} and copies the answer back (everything it creates is closed before it
     * returns); a solver that computes on the host anyway overrides it to skip both copies.
     *
     * @param theta scores, row-major, finite; not modified
     * @param shape their shape {@code [B, ...]}
     * @param scratch a manager for temporaries; the caller's, neither closed nor left with arrays
     * @return the MAP states, row-major, {@code theta.length} values in {0, 1}
     * @throws IllegalArgumentException as {@link #solve(NDArray)}, or when {@code theta.length} is
     *     not the size of {@code shape}
     */
    default float[] solveOnHost(float[] theta, Shape shape, NDManager scratch) {
        try (NDManager scope = scratch.newSubManager()) {
            return solve(HostArrays.create(scope, theta, shape)).toFloatArray();
        }
    }

    /** Whether {@link #solve} maximises or minimises {@code <z, theta>}. */
    enum Sense {
        /** {@code argmax_z <z, theta>} (the default and the paper's convention). */
        MAXIMISE,
        /** {@code argmin_z <z, theta>} (shortest paths, minimum-cost assignments). */
        MINIMISE
    }

    /** The direction of the optimisation; {@link Sense#MAXIMISE} unless the solver says otherwise. */
    default Sense sense() {
        return Sense.MAXIMISE;
    }

    /** The provider name this solver was created under, e.g. {@code "topk"}. */
    String name();

    /**
     * Whether {@link #solve} runs as tensor operations on the input's device (true for top-k), rather
     * than per instance on the host. Callers may use it to decide where to keep their arrays.
     */
    default boolean isBatchedOnDevice() {
        return false;
    }

    /**
     * The exponential-family distribution {@code p(z; theta) = exp(<z, theta> - A(theta))} over the
     * same feasible set, when its log-partition function is tractable. The score-function estimator
     * (SFE) needs it; solvers without one return empty and SFE refuses them.
     */
    default Optional<TractableDistribution> distribution() {
        return Optional.empty();
    }

    /**
     * The feasible set, when the solver declares how to test membership: {@code aimle verify} and
     * the contract test then check its answers against enumeration on small instances ({@link
     * Enumeration}: candidates scored by {@code <theta, z>}, the highest or the lowest as {@link
     * #sense()} says). Optional; solvers without one return empty and only the problem-independent
     * checks run.
     */
    default Optional<FeasibleSet> feasibleSet() {
        return Optional.empty();
    }

    /**
     * A small instance shape (without the batch axis) this solver accepts, for tools that need an
     * input and are given none: the contract test's {@code instanceShape()}, and the default
     * {@code --shape} of {@code aimle verify}, {@code bench} and {@code demo} (with a batch axis in
     * front). When the solver declares a {@link #feasibleSet()}, keep it at most {@link
     * Enumeration#LIMIT} entries so that optimality can be checked by enumeration. Optional.
     */
    default Optional<Shape> exampleInstanceShape() {
        return Optional.empty();
    }

    /**
     * The scores this solver is exact on; tools draw their test inputs from it (the contract test,
     * {@code aimle verify}, {@code bench}, {@code demo}). {@link ScoreDomain#REAL} unless the solver
     * says otherwise, e.g. {@link ScoreDomain#NON_NEGATIVE} for Dijkstra's costs. What the solver
     * does with scores outside it (refuse them, clip them) is for its javadoc to say.
     */
    default ScoreDomain scoreDomain() {
        return ScoreDomain.REAL;
    }

    /** What one structure of an instance is: the unit in which AIMLE's target counts by default. */
    enum Unit {
        /**
         * Each row of the last axis is a structure of its own: top-k over {@code [B, r, n]} selects
         * in r independent rows, so a target of one changed entry per row means one per selection.
         * For {@code [B, n]} the two units agree.
         */
        ROW,
        /** The whole instance is one structure: a path over an {@code [H, W]} grid, a spanning tree. */
        INSTANCE
    }

    /**
     * The unit of this solver's structures, {@link Unit#ROW} unless it says otherwise. AIMLE's
     * adaptive target c ("c non-zero gradient entries per unit", Minervini et al., Eq. 9-10) counts
     * per this unit unless the estimator is given a unit of its own: a path or a tree declares
     * {@link Unit#INSTANCE}, since counting per row of a grid would mean nothing.
     */
    default Unit naturalUnit() {
        return Unit.ROW;
    }
}
