package dev.aimle.api;

import java.time.Duration;

/**
 * A {@link MapSolver} call did not finish within a time limit: the limit the caller put on every call
 * (the app's {@code --solver-timeout}: the call was interrupted, and a solver that ignores interrupts
 * keeps its thread until it returns), or a limit of the solver's own (the ILP solver's per-instance
 * {@code timeLimitMs}: no proven optimum in time, and no merely feasible state is returned instead).
 *
 * <p>It is the SPI's one deadline type, and a solver plugin throws this class rather than one of its
 * own: a plugin's classes come from its own class loader, so a caller could not catch a
 * plugin-defined exception by type, while this one comes from the SPI the app and every plugin share.
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
