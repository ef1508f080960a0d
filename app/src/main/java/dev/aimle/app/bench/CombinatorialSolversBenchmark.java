package dev.aimle.app.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.Perturbation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The per-instance solvers from their plugins, as users get them:
 *
 * <ul>
 *   <li>spanning tree, B=128 instances of the complete graph on m=10 nodes (45 edges): each
 *       algorithm, sequential and parallel; the PyTorch reference takes 25 ms per call (33 ms with
 *       its C++ extension);
 *   <li>an AIMLE central step (S=1, Sum-of-Gamma noise with k=9, s=10) around it; the reference takes
 *       71 ms;
 *   <li>the ILP solver with one cardinality constraint (n=50, sum z = 10, B=128) against top-k on the
 *       same input.
 * </ul>
 */
public final class CombinatorialSolversBenchmark implements Benchmark {
    static final int BATCH = 128;
    static final int NODES = 10;
    static final double REFERENCE_MAP_MS = 25;
    static final double REFERENCE_STEP_MS = 71;

    @Override
    public String name() {
        return "solvers";
    }

    @Override
    public String description() {
        return "spanning tree (B=128, m=10) by algorithm and parallelism, AIMLE around it, ILP vs top-k (n=50, k=10)";
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) {
        int warmUp = context.quick() ? 3 : 50;
        int reps = context.quick() ? 5 : 300;
        List<BenchmarkResult> rows = new ArrayList<>();
        var solvers = context.discovery().solvers();
        try (NDManager manager = NDManager.newBaseManager()) {
            int edges = NODES * (NODES - 1) / 2;
            NDArray theta = manager.randomNormal(new Shape(BATCH, edges));
            NDArray dy = manager.randomNormal(new Shape(BATCH, edges));
            String size = "B=128 m=10 (45 edges)";
            for (String algorithm : List.of("prim", "kruskal", "jgrapht-kruskal")) {
                for (int parallelism : new int[] {1, 2}) {
                    MapSolver solver = solvers.get("spanning-tree")
                            .create(Config.of(Map.of("algorithm", algorithm, "parallelism", parallelism)));
                    Timing.Summary t = Timing.measure(warmUp, reps, () -> EstimatorStepBenchmark.solve(solver, theta));
                    rows.add(row(
                            "MAP " + algorithm + ", parallelism " + parallelism,
                            size,
                            t,
                            String.format(
                                    Locale.ROOT,
                                    "%.0f instances/s; reference 25 ms (an earlier session on this machine, not this run): %.0fx",
                                    BATCH / t.medianMillis() * 1000,
                                    REFERENCE_MAP_MS / t.medianMillis())));
                }
            }
            context.progress().println("solvers: spanning tree MAP done");
            context.progress().flush();
            NoiseDistribution sog =
                    context.discovery().noises().get("sum-of-gamma").create(Config.of(Map.of("k", NODES - 1, "s", 10)));
            SplittableRandom random = new SplittableRandom(context.seed());
            for (String algorithm : List.of("prim", "jgrapht-kruskal")) {
                MapSolver solver = solvers.get("spanning-tree").create(Config.of("algorithm", algorithm));
                GradientEstimator aimle = context.discovery()
                        .estimators()
                        .get("aimle")
                        .create(Config.of(Map.of("difference", "central", "alpha0", 1.0)));
                Perturbation p = Perturbation.of(solver, sog, 1);
                Timing.Summary t = EstimatorStepBenchmark.timeSteps(warmUp, reps, aimle, p, theta, dy, random);
                rows.add(row(
                        "AIMLE central step, sum-of-gamma, " + algorithm,
                        size,
                        t,
                        String.format(
                                Locale.ROOT,
                                "reference 71 ms (an earlier session on this machine, not this run): %.0fx faster",
                                REFERENCE_STEP_MS / t.medianMillis())));
            }
            context.progress().println("solvers: AIMLE around the spanning tree done");
            context.progress().flush();
            rows.addAll(ilpVersusTopK(context, manager, warmUp, reps));
        }
        return rows;
    }

    private List<BenchmarkResult> ilpVersusTopK(BenchmarkContext context, NDManager manager, int warmUp, int reps) {
        int n = 50;
        int k = 10;
        Path problem;
        try {
            problem = Files.createTempFile("aimle-bench-cardinality", ".json");
            problem.toFile().deleteOnExit();
            Files.writeString(
                    problem,
                    String.format(
                            Locale.ROOT,
                            "{\"name\": \"cardinality-%d-%d\", \"variables\": %d, \"constraints\": "
                                    + "[{\"coefficients\": {%s}, \"sense\": \"==\", \"rhs\": %d}]}",
                            n,
                            k,
                            n,
                            ones(n),
                            k));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the benchmark's ILP problem file", e);
        }
        NDArray theta = manager.randomNormal(new Shape(BATCH, n));
        String size = "B=128 n=50, sum z = 10";
        int ilpReps = Math.max(3, reps / 20);
        List<BenchmarkResult> rows = new ArrayList<>();
        for (int parallelism : new int[] {1, 2}) {
            MapSolver ilp = context.discovery()
                    .solvers()
                    .get("ilp")
                    .create(Config.of(Map.of("problem", problem.toString(), "parallelism", parallelism)));
            Timing.Summary t =
                    Timing.measure(Math.min(warmUp, 5), ilpReps, () -> EstimatorStepBenchmark.solve(ilp, theta));
            rows.add(row(
                    "MAP ilp (cp-sat), parallelism " + parallelism,
                    size,
                    t,
                    String.format(Locale.ROOT, "%.0f solves/s", BATCH / t.medianMillis() * 1000)));
        }
        MapSolver topk = context.discovery().solvers().get("topk").create(Config.of("k", k));
        Timing.Summary t = Timing.measure(warmUp, reps, () -> EstimatorStepBenchmark.solve(topk, theta));
        rows.add(row(
                "MAP topk, same input",
                size,
                t,
                String.format(Locale.ROOT, "%.0f solves/s", BATCH / t.medianMillis() * 1000)));
        context.progress().println("solvers: ILP vs top-k done");
        context.progress().flush();
        return rows;
    }

    private static String ones(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(i).append("\": 1");
        }
        return sb.toString();
    }

    private BenchmarkResult row(String variant, String size, Timing.Summary t, String note) {
        return new BenchmarkResult(name(), variant, size, t.repetitions(), t.medianMillis(), t.minMillis(), note);
    }
}
