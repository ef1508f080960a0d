package dev.aimle.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link TopKBenchmark} (the top-k MAP oracle on its tensor and host paths at the paper's sizes) as
 * an {@code aimle bench} entry, with the {@code topk} solver from its plugin.
 */
public final class TopKPathsBenchmark implements Benchmark {
    private static final int QUICK_WARM_UP = 20;
    private static final int QUICK_REPETITIONS = 50;

    @Override
    public String name() {
        return "topk";
    }

    @Override
    public String description() {
        return "top-k MAP solver, tensor vs host path, at the sizes of the paper's experiments";
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) {
        int warmUp = context.quick() ? QUICK_WARM_UP : TopKBenchmark.DEFAULT_WARM_UP;
        int repetitions = context.quick() ? QUICK_REPETITIONS : TopKBenchmark.DEFAULT_REPETITIONS;
        List<BenchmarkResult> rows = new ArrayList<>();
        for (TopKBenchmark.Case c : TopKBenchmark.CASES) {
            for (TopKBenchmark.Result r : TopKBenchmark.run(
                    context.discovery().solvers().get("topk"), c, warmUp, repetitions, context.seed())) {
                rows.add(new BenchmarkResult(
                        name(),
                        "path=" + r.path(),
                        r.label() + " " + r.shape(),
                        r.repetitions(),
                        r.medianMicros() / 1000,
                        Double.NaN,
                        String.format(Locale.ROOT, "p10 %.1f us, p90 %.1f us", r.p10Micros(), r.p90Micros())));
            }
            context.progress().printf(Locale.ROOT, "topk: %s done%n", c.label());
            context.progress().flush();
        }
        return rows;
    }
}
