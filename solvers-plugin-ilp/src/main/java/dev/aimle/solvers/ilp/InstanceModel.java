package dev.aimle.solvers.ilp;

/**
 * One backend's model of an {@link IlpProblem}, built once and re-solved with a new objective per
 * instance. Not thread-safe: {@link IlpSolver} keeps one per thread.
 */
interface InstanceModel {

    /** How a solve ended. */
    enum Status {
        /** Proven optimal; the solution was written. */
        OPTIMAL,
        /** Proven infeasible. */
        INFEASIBLE,
        /** The time limit expired before optimality (or infeasibility) was proven. */
        TIME_LIMIT
    }

    /**
     * The outcome of a solve.
     *
     * @param status how it ended
     * @param detail what the backend reported, for messages (e.g. the gap at the time limit)
     */
    record Outcome(Status status, String detail) {}

    /**
     * Maximises {@code <scores, z>} over the model's feasible set.
     *
     * @param scores finite scores, one per variable
     * @param solution zero-filled; the optimal state is written here when the status is OPTIMAL
     * @throws IllegalStateException when the backend reports an invalid model or an internal error
     */
    Outcome solve(float[] scores, float[] solution);
}
