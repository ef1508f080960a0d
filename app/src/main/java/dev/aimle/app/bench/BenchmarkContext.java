package dev.aimle.app.bench;

import dev.aimle.app.plugins.Discovery;
import java.io.PrintWriter;
import java.util.Objects;

/**
 * What a {@link Benchmark} gets.
 *
 * @param discovery the providers (solvers from the plugins, noises and estimators from the class
 *     path); benchmarks create solvers through it, as users do
 * @param seed the seed of every random input
 * @param quick whether to use small sizes and few repetitions (a smoke run)
 * @param progress where to print progress lines (stderr), so stdout holds only the table
 */
public record BenchmarkContext(Discovery discovery, long seed, boolean quick, PrintWriter progress) {
    /** Requires the discovery and the progress writer. */
    public BenchmarkContext {
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(progress, "progress");
    }
}
