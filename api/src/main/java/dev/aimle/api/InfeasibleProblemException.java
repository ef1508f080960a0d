package dev.aimle.api;

/**
 * Thrown by a {@link MapSolver} when an instance has no feasible state. The message names the
 * problem and the witness (for example the constraint that cannot be met).
 */
public class InfeasibleProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String problem;

    /**
     * @param problem a name of the problem that was infeasible (e.g. its configuration name)
     * @param witness what makes it infeasible, e.g. the violated constraint
     */
    public InfeasibleProblemException(String problem, String witness) {
        super("problem '" + problem + "' is infeasible: " + witness);
        this.problem = problem;
    }

    /** The name of the infeasible problem. */
    public String problem() {
        return problem;
    }
}
