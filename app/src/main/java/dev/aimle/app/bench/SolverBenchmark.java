package dev.aimle.app.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.api.Perturbation;
import dev.aimle.api.ScoreDomain;
import dev.aimle.api.contract.MapSolverContract;
import dev.aimle.runtime.MapSolvers;
import dev.aimle.runtime.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Any solver, bare and guarded: its MAP call with nothing around it, the output check alone (one
 * device-side reduction), the call with the check, the call with the check and the time limit (a
 * hand-off to a worker thread), and an AIMLE central step (Gumbel noise, S = 1) around the bare and
 * the guarded solver. The solver is {@code --solver NAME -P key=value} (default: {@code topk} with
 * k = 10); the input shape is {@code --shape}, else {@code 128,400} for the default solver and 128
 * instances of the shape a chosen solver declares ({@link MapSolver#exampleInstanceShape()}); the
 * scores come from {@code --scores}, else the solver's {@link MapSolver#scoreDomain()}.
 */
public final class SolverBenchmark implements Benchmark {
    /** The solver when none is chosen. */
    public static final String DEFAULT_SOLVER = "topk";

    /** The shape when none is given. */
    public static final Shape DEFAULT_SHAPE = new Shape(128, 400);

    /** The batch of a chosen solver's declared shape. */
    public static final int DEFAULT_BATCH = 128;

    /**
     * Which solver to time.
     *
     * @param name plain or qualified name
     * @param config its parameters
     * @param shape the input shape {@code [B, ...]}; empty: 128 instances of the shape the solver
     *     declares, else {@link #DEFAULT_SHAPE}
     * @param scores the domain of the scores; empty: the solver's
     * @param guard the guard of the guarded variants
     */
    public record Choice(
            String name, Config config, Optional<Shape> shape, Optional<ScoreDomain> scores, MapSolvers.Guard guard) {
        /** {@code topk}, k = 10, at {@code [128, 400]}, default guard. */
        public static Choice defaults() {
            return new Choice(
                    DEFAULT_SOLVER,
                    Config.of("k", 10),
                    Optional.of(DEFAULT_SHAPE),
                    Optional.empty(),
                    MapSolvers.Guard.defaults());
        }

        /** The input shape for {@code solver}. */
        Shape shapeFor(MapSolver solver) {
            return shape.orElseGet(() -> solver.exampleInstanceShape()
                    .map(s -> new Shape(DEFAULT_BATCH).addAll(s))
                    .orElse(DEFAULT_SHAPE));
        }
    }

    private final Choice choice;

    /** The benchmark of the default choice. */
    public SolverBenchmark() {
        this(Choice.defaults());
    }

    /** The benchmark of {@code choice}. */
    public SolverBenchmark(Choice choice) {
        this.choice = choice;
    }

    @Override
    public String name() {
        return "solver";
    }

    @Override
    public String description() {
        return "any solver (--solver, -P, --shape; default topk k=10 at 128x400): bare, output check, time limit,"
                + " and AIMLE around it";
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) {
        // a long warm-up: the worker thread of the time limit runs cold code paths at first
        int warmUp = context.quick() ? 3 : 300;
        int reps = context.quick() ? 5 : 300;
        ProviderRegistry<MapSolverProvider> solvers = context.discovery().solvers();
        ProviderRegistry.Entry<MapSolverProvider> entry = solvers.entry(choice.name());
        MapSolver bare = entry.provider().create(choice.config());
        Shape shape = choice.shapeFor(bare);
        ScoreDomain domain = choice.scores().orElse(bare.scoreDomain());
        MapSolver checkedOnly =
                MapSolvers.checked(bare, entry.source(), choice.guard().withoutTimeout());
        MapSolver guarded = MapSolvers.checked(bare, entry.source(), choice.guard());
        String size = shape + " " + entry.qualifiedName()
                + (choice.config().asMap().isEmpty() ? "" : " " + choice.config())
                + (domain == ScoreDomain.REAL ? "" : " " + domain.draws());
        List<BenchmarkResult> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray theta = manager.create(
                    domain.draw(new SplittableRandom(context.seed()), Math.toIntExact(shape.size())), shape);
            NDArray dy = manager.randomNormal(shape);
            NDArray z = bare.solve(theta);
            MapSolverContract.checkOutput(entry.name(), entry.source(), theta, z);
            Timing.Summary bareCall = Timing.measure(warmUp, reps, () -> EstimatorStepBenchmark.solve(bare, theta));
            rows.add(row("MAP bare", size, bareCall, ""));
            Timing.Summary check = Timing.measure(
                    warmUp, reps, () -> MapSolverContract.checkOutput(entry.name(), entry.source(), theta, z));
            rows.add(row(
                    "output check alone",
                    size,
                    check,
                    String.format(
                            Locale.ROOT,
                            "%.1f%% of the bare call",
                            100 * check.medianMillis() / bareCall.medianMillis())));
            rows.add(row(
                    "MAP + output check",
                    size,
                    Timing.measure(warmUp, reps, () -> EstimatorStepBenchmark.solve(checkedOnly, theta)),
                    ""));
            rows.add(row(
                    "MAP + check + time limit",
                    size,
                    Timing.measure(warmUp, reps, () -> EstimatorStepBenchmark.solve(guarded, theta)),
                    guarded == checkedOnly ? "" : "the call runs on a worker thread"));
            NoiseDistribution noise = context.discovery().noises().get("gumbel").create(Config.empty());
            for (MapSolver s : List.of(bare, guarded)) {
                GradientEstimator aimle = context.discovery()
                        .estimators()
                        .get("aimle")
                        .create(Config.of(Map.of("difference", "central", "alpha0", 1.0)));
                Perturbation p = Perturbation.of(s, noise, 1);
                SplittableRandom random = new SplittableRandom(context.seed());
                rows.add(row(
                        "AIMLE central step, " + (s == bare ? "bare" : "guarded") + " solver",
                        size,
                        Timing.measure(warmUp, reps, () -> EstimatorStepBenchmark.step(aimle, p, theta, dy, random)),
                        ""));
            }
            context.progress().printf("solver: %s done%n", size);
            context.progress().flush();
        }
        return rows;
    }

    private BenchmarkResult row(String variant, String size, Timing.Summary t, String note) {
        return new BenchmarkResult(name(), variant, size, t.repetitions(), t.medianMillis(), t.minMillis(), note);
    }
}
