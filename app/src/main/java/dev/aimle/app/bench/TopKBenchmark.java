package dev.aimle.app.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.HostArrays;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.runtime.ProviderRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times the top-k MAP oracle (the {@code topk} solver) on its two paths, {@code path=tensor} (DJL
 * operations on the input's device) and {@code path=host} (a copy to a {@code float[]} and a per-row
 * selection), at the sizes of
 * the paper's experiments: B=128, n=400, k=10 (learning to explain); B=128, n=50, k=1 (the
 * synthetic experiment); and the DVAE's theta {@code [128, 20, 20]}, i.e. 2560 rows of 20, k=10.
 *
 * <p>Each call solves fresh seeded N(0, 1) scores, drawn and copied into an array untimed before
 * it (one input solved again and again is learnt by the processor's branch predictor and made the
 * host path look up to three times faster than in a training step), closing every result; both
 * paths see the same sequence of inputs. The 10th percentile, median and 90th percentile of one
 * call are reported in microseconds. Before timing, the two paths' outputs are compared on the first
 * input (they must be identical). A
 * plain reusable class: {@link #run} returns records, {@link #table} formats them, {@link #main}
 * prints them. It never asserts on time.
 *
 * <p>The solver comes from a {@link MapSolverProvider} named {@code topk} (the app discovers it from
 * the plugins; {@link #main} from the class path), created with {@code k} and {@code path}, as users
 * create it.
 */
public final class TopKBenchmark {

    /** Default warm-up calls per measurement. */
    public static final int DEFAULT_WARM_UP = 300;

    /** Default timed calls per measurement. */
    public static final int DEFAULT_REPETITIONS = 2000;

    /** Default seed of the random scores. */
    public static final long DEFAULT_SEED = 42;

    /**
     * One benchmarked size.
     *
     * @param label a human label, e.g. {@code B=128 n=400 k=10}
     * @param shape the shape of theta
     * @param k the number of ones per row
     */
    public record Case(String label, Shape shape, int k) {}

    /**
     * The time of one {@code solve} call of one path at one size.
     *
     * @param label the case's label
     * @param shape the shape of theta
     * @param k the number of ones per row
     * @param path {@code tensor} or {@code host}
     * @param warmUp untimed calls before timing
     * @param repetitions timed calls
     * @param p10Micros the 10th percentile, microseconds
     * @param medianMicros the median, microseconds
     * @param p90Micros the 90th percentile, microseconds
     */
    public record Result(
            String label,
            String shape,
            int k,
            String path,
            int warmUp,
            int repetitions,
            double p10Micros,
            double medianMicros,
            double p90Micros) {}

    /** The benchmarked sizes, in order. */
    public static final List<Case> CASES = List.of(
            new Case("B=128 n=400 k=10", new Shape(128, 400), 10),
            new Case("B=128 n=50 k=1", new Shape(128, 50), 1),
            new Case("2560x20 k=10 (DVAE)", new Shape(128, 20, 20), 10));

    private TopKBenchmark() {}

    /** The two paths, in the order they are measured. */
    public static final List<String> PATHS = List.of("tensor", "host");

    /** Every case on both paths with the default warm-up, repetitions and seed. */
    public static List<Result> run(MapSolverProvider topk) {
        return run(topk, DEFAULT_WARM_UP, DEFAULT_REPETITIONS, DEFAULT_SEED);
    }

    /**
     * Every case of {@link #CASES} on both paths.
     *
     * @param topk the provider of the {@code topk} solver
     * @param warmUp untimed calls before timing each path, at least 0
     * @param repetitions timed calls per path, at least 1
     * @param seed the seed of the random scores
     * @throws IllegalStateException when the two paths disagree on an input
     */
    public static List<Result> run(MapSolverProvider topk, int warmUp, int repetitions, long seed) {
        List<Result> results = new ArrayList<>();
        for (Case c : CASES) {
            results.addAll(run(topk, c, warmUp, repetitions, seed));
        }
        return results;
    }

    /**
     * One case on both paths (tensor first).
     *
     * @throws IllegalStateException when the two paths disagree on the input
     */
    public static List<Result> run(MapSolverProvider topk, Case c, int warmUp, int repetitions, long seed) {
        if (warmUp < 0 || repetitions < 1) {
            throw new IllegalArgumentException(
                    "warmUp (" + warmUp + ") must be at least 0 and repetitions (" + repetitions + ") at least 1");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray theta =
                    manager.create(gaussian(seed, Math.toIntExact(c.shape().size())), c.shape());
            List<MapSolver> solvers = new ArrayList<>();
            for (String path : PATHS) {
                solvers.add(topk.create(Config.of(Map.of("k", c.k(), "path", path))));
            }
            try (NDArray a = solvers.get(0).solve(theta);
                    NDArray b = solvers.get(1).solve(theta)) {
                if (!Arrays.equals(a.toFloatArray(), b.toFloatArray())) {
                    throw new IllegalStateException(
                            "the tensor and host paths disagree on " + c.label() + " (seed " + seed + ")");
                }
            }
            List<Result> results = new ArrayList<>();
            for (int p = 0; p < PATHS.size(); p++) {
                double[] micros = time(solvers.get(p), c.shape(), manager, seed, warmUp, repetitions);
                results.add(new Result(
                        c.label(),
                        c.shape().toString(),
                        c.k(),
                        PATHS.get(p),
                        warmUp,
                        repetitions,
                        percentile(micros, 0.10),
                        percentile(micros, 0.50),
                        percentile(micros, 0.90)));
            }
            return results;
        }
    }

    /** Times calls on fresh scores from a generator seeded by {@code seed} (the same for every path). */
    private static double[] time(
            MapSolver solver, Shape shape, NDManager manager, long seed, int warmUp, int repetitions) {
        SplittableRandom random = new SplittableRandom(seed + 1);
        float[] values = new float[Math.toIntExact(shape.size())];
        double[] micros = new double[repetitions];
        for (int i = -warmUp; i < repetitions; i++) {
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) random.nextGaussian();
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray theta = HostArrays.create(scope, values, shape);
                long start = System.nanoTime();
                NDArray z = solver.solve(theta);
                long elapsed = System.nanoTime() - start;
                z.close();
                if (i >= 0) {
                    micros[i] = elapsed / 1e3;
                }
            }
        }
        Arrays.sort(micros);
        return micros;
    }

    /** The nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static float[] gaussian(long seed, int size) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** The results as a markdown table, one row per case and path. */
    public static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| case | theta | path | p10 us | median us | p90 us | calls |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|\n");
        for (Result r : results) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %.1f | %.1f | %.1f | %d |%n",
                    r.label(),
                    r.shape(),
                    r.path(),
                    r.p10Micros(),
                    r.medianMicros(),
                    r.p90Micros(),
                    r.repetitions()));
        }
        return sb.toString();
    }

    /**
     * Prints the table, with the {@code topk} provider found on the class path. Optional arguments:
     * warm-up calls, timed calls, seed (defaults 300, 2000, 42).
     */
    public static void main(String[] args) {
        MapSolverProvider topk = ProviderRegistry.fromClasspath(
                        "map solver", MapSolverProvider.class, TopKBenchmark.class.getClassLoader())
                .get("topk");
        int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_WARM_UP;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_REPETITIONS;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : DEFAULT_SEED;
        System.out.printf(
                Locale.ROOT,
                "top-k MAP, %d warm-up + %d timed calls per row, seed %d, %d processors%n%s%n",
                warmUp,
                repetitions,
                seed,
                Runtime.getRuntime().availableProcessors(),
                topk.description());
        System.out.print(table(run(topk, warmUp, repetitions, seed)));
    }
}
