package dev.aimle.solvers.ilp;

/**
 * Thrown by {@link IlpSolver} when an instance's time limit expires before the solver has proven
 * a state optimal (or the problem infeasible). A state that is merely feasible is never returned as
 * if it were the MAP state.
 */
public class SolverTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String problem;
    private final long timeLimitMs;

    /**
     * @param problem the problem's name
     * @param timeLimitMs the per-instance limit that expired
     * @param detail what the solver had when it stopped (best objective and bound, if any)
     */
    public SolverTimeoutException(String problem, long timeLimitMs, String detail) {
        super("problem '" + problem + "': no proven optimum within the time limit of " + timeLimitMs
                + " ms per instance (" + detail + "); raise timeLimitMs or simplify the problem");
        this.problem = problem;
        this.timeLimitMs = timeLimitMs;
    }

    /** The name of the problem that timed out. */
    public String problem() {
        return problem;
    }

    /** The per-instance time limit in milliseconds. */
    public long timeLimitMs() {
        return timeLimitMs;
    }
}
