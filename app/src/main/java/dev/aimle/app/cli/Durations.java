package dev.aimle.app.cli;

import java.time.Duration;

/** Seconds given on the command line, as durations. */
final class Durations {
    /** The largest number of seconds accepted: one week. */
    static final double MAX_SECONDS = 7 * 24 * 3600;

    private Durations() {}

    /** {@code seconds} (positive, at most {@link #MAX_SECONDS}) as a duration, to the millisecond. */
    static Duration ofSeconds(double seconds) {
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }
}
