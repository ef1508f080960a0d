package dev.aimle.api;

/**
 * A {@link MapSolver} returned something that breaks its contract: not an array, the input array
 * itself, another shape, device or data type than float32, or values other than exactly 0 and 1.
 * Thrown by the output check of the contract ({@link dev.aimle.api.contract.MapSolverContract#checkOutput}),
 * which the app applies to every call of every solver, naming the solver and where it came from.
 */
public final class InvalidSolverOutputException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message names the solver, its source, what was returned and what was expected */
    public InvalidSolverOutputException(String message) {
        super(message);
    }
}
