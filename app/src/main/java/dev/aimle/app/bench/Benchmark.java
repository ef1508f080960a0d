package dev.aimle.app.bench;

import java.util.List;

/**
 * One benchmark of {@code aimle bench}: it measures, prints progress, and returns rows for the
 * common table. Benchmarks print figures; they never assert on time.
 */
public interface Benchmark {

    /** A short lower-case name users select it by, e.g. {@code "topk"}. */
    String name();

    /** A one-line description. */
    String description();

    /**
     * Whether a plain {@code aimle bench} runs it; long profiles (the memory soak) run only when
     * named with {@code --only}.
     */
    default boolean runsByDefault() {
        return true;
    }

    /**
     * Runs the benchmark.
     *
     * @param context the discovered providers, the seed and where to print progress
     * @return the measured rows, in the order to print
     */
    List<BenchmarkResult> run(BenchmarkContext context);
}
