package dev.aimle.app.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

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
        return measure(warmUp, repetitions, prepare, operation, System::nanoTime);
    }

    /** {@link #measure(int, int, Runnable, Runnable)} on the given clock (nanoseconds; tests pass their own). */
    static Summary measure(int warmUp, int repetitions, Runnable prepare, Runnable operation, LongSupplier clock) {
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
            long start = clock.getAsLong();
            operation.run();
            millis[i] = (clock.getAsLong() - start) / 1e6;
        }
        return summarise(millis);
    }

    /**
     * An operation for {@link #interleaved}.
     *
     * @param name its key in the result
     * @param prepare run untimed before every call
     * @param operation the timed call
     */
    public record Timed(String name, Runnable prepare, Runnable operation) {}

    /**
     * Times several operations round-robin: every repetition calls each operation once, in the
     * given order ({@code warmUp} untimed rounds first). A machine whose speed drifts over minutes
     * then slows all of them alike, so ratios between them (a step against the parts of its floor)
     * come from the same moments instead of from runs minutes apart.
     *
     * @return each operation's summary, by name, in the given order
     * @throws IllegalArgumentException on bad counts, no operations, or two with the same name
     */
    public static Map<String, Summary> interleaved(int warmUp, int repetitions, List<Timed> operations) {
        return interleaved(warmUp, repetitions, operations, System::nanoTime);
    }

    /** {@link #interleaved(int, int, List)} on the given clock (nanoseconds; tests pass their own). */
    static Map<String, Summary> interleaved(int warmUp, int repetitions, List<Timed> operations, LongSupplier clock) {
        if (warmUp < 0 || repetitions < 1) {
            throw new IllegalArgumentException(
                    "warmUp (" + warmUp + ") must be at least 0 and repetitions (" + repetitions + ") at least 1");
        }
        if (operations.isEmpty()) {
            throw new IllegalArgumentException("no operations to time");
        }
        if (operations.stream().map(Timed::name).distinct().count() < operations.size()) {
            throw new IllegalArgumentException("two operations have the same name in "
                    + operations.stream().map(Timed::name).toList());
        }
        double[][] millis = new double[operations.size()][repetitions];
        for (int round = -warmUp; round < repetitions; round++) {
            for (int i = 0; i < operations.size(); i++) {
                Timed t = operations.get(i);
                t.prepare().run();
                long start = clock.getAsLong();
                t.operation().run();
                if (round >= 0) {
                    millis[i][round] = (clock.getAsLong() - start) / 1e6;
                }
            }
        }
        Map<String, Summary> summaries = new LinkedHashMap<>();
        for (int i = 0; i < operations.size(); i++) {
            summaries.put(operations.get(i).name(), summarise(millis[i]));
        }
        return summaries;
    }

    /** The median and the fastest of the timed calls (sorts {@code millis}). */
    private static Summary summarise(double[] millis) {
        Arrays.sort(millis);
        int n = millis.length;
        double median = n % 2 == 1 ? millis[n / 2] : (millis[n / 2 - 1] + millis[n / 2]) / 2;
        return new Summary(n, median, millis[0]);
    }
}
