package dev.aimle.app.harness;

import java.util.Objects;

/**
 * How one unit ended.
 *
 * @param id the unit's id (its directory name in the sweep)
 * @param failure null when the unit completed, else why it failed (after any retries)
 * @param where the host (and executor) that ran its last attempt, or {@code "local"}
 * @param seconds wall time from dispatch to the end, retries included
 * @param attempts how many times it was started (more than 1 after a retry)
 * @param resumedRows rows already published when its last attempt started (0 for a fresh start)
 */
public record UnitOutcome(String id, String failure, String where, double seconds, int attempts, int resumedRows) {
    /** Checks the values. */
    public UnitOutcome {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(where, "where");
        if (attempts < 0 || resumedRows < 0) {
            throw new IllegalArgumentException(
                    "attempts (" + attempts + ") and resumedRows (" + resumedRows + ") must be at least 0");
        }
    }

    /** Whether the unit completed. */
    public boolean succeeded() {
        return failure == null;
    }
}
