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
        return measure(warmUp, repetitions, () -> {}, operation);
    }

    /**
     * As {@link #measure(int, int, Runnable)}, running {@code prepare} untimed before every call
     * (warm-up calls included): to give each call fresh inputs, for example.
     */
    public static Summary measure(int warmUp, int repetitions, Runnable prepare, Runnable operation) {
        if (warmUp < 0 || repetitions < 1) {
            throw new IllegalArgumentException(
                    "warmUp (" + warmUp + ") must be at least 0 and repetitions (" + repetitions + ") at least 1");
        }
        for (int i = 0; i < warmUp; i++) {
            prepare.run();
            operation.run();
        }
        double[] millis = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            prepare.run();
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
