package dev.aimle.api;

import java.time.Duration;

/**
 * A {@link MapSolver} call did not return within its time limit ({@link MapSolvers.Guard#timeout}).
 * The call was interrupted; a solver that ignores interrupts keeps its thread until it returns.
 */
public final class SolverDeadlineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Duration limit;

    /**
     * @param message names the solver, its source and the limit
     * @param limit the time limit that expired
     */
    public SolverDeadlineException(String message, Duration limit) {
        super(message);
        this.limit = limit;
    }

    /** The time limit that expired. */
    public Duration limit() {
        return limit;
    }
}
