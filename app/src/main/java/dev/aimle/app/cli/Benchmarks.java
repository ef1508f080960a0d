package dev.aimle.app.cli;

import dev.aimle.app.bench.Benchmark;
import dev.aimle.app.bench.CombinatorialSolversBenchmark;
import dev.aimle.app.bench.DvaeStepBenchmark;
import dev.aimle.app.bench.EstimatorStepBenchmark;
import dev.aimle.app.bench.L2xStepBenchmark;
import dev.aimle.app.bench.NriStepBenchmark;
import dev.aimle.app.bench.ShortestPathBenchmark;
import dev.aimle.app.bench.SoakBenchmark;
import dev.aimle.app.bench.SolverBenchmark;
import dev.aimle.app.bench.ThreadsBenchmark;
import dev.aimle.app.bench.TopKPathsBenchmark;
import dev.aimle.app.bench.WarcraftStepBenchmark;
import java.util.List;

/**
 * The benchmarks {@code aimle bench} knows, in the order they run and print (those that do not
 * {@linkplain Benchmark#runsByDefault() run by default} only with {@code --only}).
 */
final class Benchmarks {
    private Benchmarks() {}

    /** Every registered benchmark, in the order they run. */
    static List<Benchmark> all() {
        return all(SolverBenchmark.Choice.defaults());
    }

    /** Every registered benchmark, the solver benchmark timing {@code choice}. */
    static List<Benchmark> all(SolverBenchmark.Choice choice) {
        return List.of(
                new TopKPathsBenchmark(),
                new EstimatorStepBenchmark(),
                new CombinatorialSolversBenchmark(),
                new DvaeStepBenchmark(),
                new L2xStepBenchmark(),
                new NriStepBenchmark(),
                new SolverBenchmark(choice),
                new ShortestPathBenchmark(),
                new WarcraftStepBenchmark(),
                new ThreadsBenchmark(),
                new SoakBenchmark());
    }
}
