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
 * @param reference PyTorch reference figures to compare with ({@link ReferenceFigures#none()} for none)
 * @param soakSteps the training steps of the memory soak
 */
public record BenchmarkContext(
        Discovery discovery,
        long seed,
        boolean quick,
        PrintWriter progress,
        ReferenceFigures reference,
        int soakSteps) {
    /** The soak's default length, 20,000 DVAE steps (issue 13). */
    public static final int DEFAULT_SOAK_STEPS = 20_000;

    /** Requires the discovery, the progress writer and the reference; at least one soak step. */
    public BenchmarkContext {
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(reference, "reference");
        if (soakSteps < 1) {
            throw new IllegalArgumentException("soak steps (" + soakSteps + ") must be at least 1");
        }
    }

    /** Without reference figures, the default soak. */
    public BenchmarkContext(Discovery discovery, long seed, boolean quick, PrintWriter progress) {
        this(discovery, seed, quick, progress, ReferenceFigures.none(), DEFAULT_SOAK_STEPS);
    }
}
