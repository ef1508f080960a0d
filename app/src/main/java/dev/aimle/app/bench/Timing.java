package dev.aimle.app.bench;

import java.util.Arrays;

/** Times a repeated operation: warm-up calls, then the median and minimum of timed calls. */
public final class Timing {
    private Timing() {}

    /**
     * The summary of timed calls, in milliseconds.
     *
     * @param repetitions timed calls
     * @param medianMillis their median
     * @param minMillis the fastest
     */
    public record Summary(int repetitions, double medianMillis, double minMillis) {}

    /** Runs {@code warmUp} untimed calls, then {@code repetitions} timed ones. */
    public static Summary measure(int warmUp, int repetitions, Runnable operation) {
        if (warmUp < 0 || repetitions < 1) {
            throw new IllegalArgumentException(
                    "warmUp (" + warmUp + ") must be at least 0 and repetitions (" + repetitions + ") at least 1");
        }
        for (int i = 0; i < warmUp; i++) {
            operation.run();
        }
        double[] millis = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            operation.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        double median = repetitions % 2 == 1
                ? millis[repetitions / 2]
                : (millis[repetitions / 2 - 1] + millis[repetitions / 2]) / 2;
        return new Summary(repetitions, median, millis[0]);
    }
}
