package dev.aimle.app.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One forward+backward step of AIMLE (central and forward difference) on top-k with S = 1, next to
 * its parts: the noise sampling and the bare MAP calls the step must make (one of {@code [B, n]} in
 * the forward pass; one of {@code [2B, n]} (central) or {@code [B, n]} (forward) in the backward).
 * Sizes: B=128, n=400, k=10; the DVAE's 2560 rows of 20, k=10; B=128, n=50, k=1 (Gumbel only).
 * The PyTorch reference implementation's medians on this 2-core CPU were, for AIMLE central:
 * 7.3 ms (Gumbel) and 42 ms (Sum-of-Gamma) at 128x400; 10.3 / 37 ms at 2560x20; 0.87 ms at 128x50.
 */
public final class EstimatorStepBenchmark implements Benchmark {

    record Case(
            String label, Shape shape, int k, List<String> noises, double referenceGumbelMs, double referenceSogMs) {}

    static final List<Case> CASES = List.of(
            new Case("B=128 n=400 k=10", new Shape(128, 400), 10, List.of("gumbel", "sum-of-gamma"), 7.3, 42),
            new Case("2560x20 k=10 (DVAE)", new Shape(2560, 20), 10, List.of("gumbel", "sum-of-gamma"), 10.3, 37),
            new Case("B=128 n=50 k=1", new Shape(128, 50), 1, List.of("gumbel"), 0.87, Double.NaN));

    @Override
    public String name() {
        return "estimators";
    }

    @Override
    public String description() {
        return "AIMLE forward+backward step on top-k (S=1) vs its noise and bare MAP calls";
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) {
        int warmUp = context.quick() ? 3 : 30;
        int reps = context.quick() ? 5 : 200;
        List<BenchmarkResult> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Case c : CASES) {
                MapSolver solver = context.discovery().solvers().get("topk").create(Config.of("k", c.k()));
                NDArray theta = manager.randomNormal(c.shape());
                NDArray dy = manager.randomNormal(c.shape());
                NDArray doubled = manager.randomNormal(
                        new Shape(c.shape().get(0) * 2).addAll(c.shape().slice(1)));
                String size = c.label();
                rows.add(row("MAP [B, n]", size, Timing.measure(warmUp, reps, () -> solve(solver, theta)), ""));
                rows.add(row("MAP [2B, n]", size, Timing.measure(warmUp, reps, () -> solve(solver, doubled)), ""));
                for (String noiseName : c.noises()) {
                    Config noiseConfig =
                            noiseName.equals("sum-of-gamma") ? Config.of(Map.of("k", c.k(), "s", 10)) : Config.empty();
                    NoiseDistribution noise =
                            context.discovery().noises().get(noiseName).create(noiseConfig);
                    SplittableRandom random = new SplittableRandom(context.seed());
                    rows.add(row(
                            "noise " + noiseName,
                            size,
                            Timing.measure(warmUp, reps, () -> {
                                try (NDManager scope = manager.newSubManager()) {
                                    noise.sample(scope, c.shape(), random);
                                }
                            }),
                            ""));
                    for (String difference : List.of("central", "forward")) {
                        GradientEstimator aimle = context.discovery()
                                .estimators()
                                .get("aimle")
                                .create(Config.of(Map.of("difference", difference, "alpha0", 1.0)));
                        Perturbation p = Perturbation.of(solver, noise, 1);
                        Timing.Summary t = Timing.measure(warmUp, reps, () -> step(aimle, p, theta, dy, random));
                        double reference = noiseName.equals("gumbel") ? c.referenceGumbelMs() : c.referenceSogMs();
                        String note = difference.equals("central") && !Double.isNaN(reference)
                                ? String.format(
                                        Locale.ROOT,
                                        "reference %.2f ms: %.1fx faster",
                                        reference,
                                        reference / t.medianMillis())
                                : "";
                        rows.add(row("AIMLE " + difference + " step, " + noiseName, size, t, note));
                    }
                    context.progress().printf("estimators: %s %s done%n", size, noiseName);
                    context.progress().flush();
                }
            }
        }
        return rows;
    }

    static void solve(MapSolver solver, NDArray theta) {
        try (NDManager scope = theta.getManager().newSubManager()) {
            solver.solve(theta).attach(scope);
        }
    }

    static void step(GradientEstimator estimator, Perturbation p, NDArray theta, NDArray dy, SplittableRandom random) {
        try (NDManager scope = theta.getManager().newSubManager()) {
            NDArray t = theta.duplicate();
            t.attach(scope);
            Sample s = estimator.forward(t, p, random);
            NDArray d = dy.duplicate();
            d.attach(scope);
            estimator.backward(s, Downstream.ofGradient(d));
        }
    }

    private BenchmarkResult row(String variant, String size, Timing.Summary t, String note) {
        return new BenchmarkResult(name(), variant, size, t.repetitions(), t.medianMillis(), t.minMillis(), note);
    }
}
