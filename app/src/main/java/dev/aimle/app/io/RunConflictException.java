package dev.aimle.app.io;

/**
 * A run directory cannot be used for this run: it holds a run with another configuration, results
 * without a {@code run.json}, or another process is writing to it. The CLI reports it as bad usage
 * (exit code 2): the fix is another {@code --out} directory or the same options as before.
 */
public final class RunConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what conflicts, and what to do about it */
    public RunConflictException(String message) {
        super(message);
    }
}
