package dev.aimle.app.options;

import java.time.Duration;

/** Seconds given on the command line, as durations. */
public final class Durations {
    /** The largest number of seconds accepted: one week. */
    public static final double MAX_SECONDS = 7 * 24 * 3600;

    private Durations() {}

    /** {@code seconds} (positive, at most {@link #MAX_SECONDS}) as a duration, to the millisecond. */
    public static Duration ofSeconds(double seconds) {
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }
}
