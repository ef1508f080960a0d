package dev.aimle.cluster.spark;

import java.io.IOException;

/** A unit's JVM exited with an error on an executor; Spark retries the task, then gives up. */
final class UnitFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    UnitFailedException(String message) {
        super(message);
    }
}
