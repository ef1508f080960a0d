package dev.aimle.app.bench;

import java.util.Objects;

/**
 * One row of the {@code aimle bench} table: the time of one operation of one variant at one size.
 *
 * @param benchmark the benchmark's name, e.g. {@code topk}
 * @param variant what was measured, e.g. {@code tensor path}
 * @param size the input size, e.g. {@code [256, 784], k=20}
 * @param repetitions how many timed repetitions the figures summarise
 * @param medianMillis the median time of one operation, milliseconds
 * @param minMillis the fastest repetition, milliseconds, or {@code NaN} when the benchmark does not
 *     record it (printed as {@code -})
 * @param note anything else worth reading next to the figure (may be empty)
 */
public record BenchmarkResult(
        String benchmark,
        String variant,
        String size,
        int repetitions,
        double medianMillis,
        double minMillis,
        String note) {
    /** Requires the labels; the median must be finite and non-negative, the minimum too unless NaN. */
    public BenchmarkResult {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(note, "note");
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions (" + repetitions + ") must be at least 1");
        }
        boolean badMin = !Double.isNaN(minMillis) && (minMillis < 0 || Double.isInfinite(minMillis));
        if (!(medianMillis >= 0) || Double.isInfinite(medianMillis) || badMin) {
            throw new IllegalArgumentException(
                    "times must be finite and non-negative, got median " + medianMillis + " and min " + minMillis);
        }
    }
}
