package dev.aimle.app.harness;

/**
 * Told by a {@link UnitExecutor} as units end and when there is something to say about the run as
 * a whole (where its web UI is, an executor lost). Called from the executor's threads, one call at
 * a time.
 */
public interface UnitListener {

    /** A unit ended, successfully or not (after the executor's own retries). */
    void finished(UnitOutcome outcome);

    /** A line worth printing about the run as a whole; ignored by default. */
    default void note(String line) {}
}
