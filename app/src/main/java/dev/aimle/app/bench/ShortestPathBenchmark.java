package dev.aimle.app.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.runtime.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shortest-path solver (plugin {@code aimle-shortestpath}) per instance, on the costs and cases
 * {@code scripts/shortest_path_reference.py} times the reference implementation's Dijkstra on:
 * 12 x 12 (8 and 4 neighbours) and 30 x 30 (8 neighbours), the Warcraft sizes. One call solves one
 * instance {@code [1, H, W]} from host values ({@code solveOnHost}, as the estimators call it on the
 * CPU), cycling over the instances; the row's note gives the paths' digest (equal to the reference's
 * when the paths are the same) and, with {@code --reference}, ours / reference. Also JGraphT's
 * Dijkstra per instance and a batched {@code solve} of all instances, per instance.
 *
 * <p>The costs do not depend on {@code --seed}: they are splitmix64 draws from seed 42 (the top 24
 * bits over 2^24, uniform in [0, 1), exact in float32), so that both sides solve the same numbers.
 */
public final class ShortestPathBenchmark implements Benchmark {
    /** The solver's provider name. */
    static final String SOLVER = "shortest-path";

    /** The seed of the costs, the same as the reference script's. */
    static final long COST_SEED = 42;

    /** One case: a label, the grid side, the neighbourhood, the instances (full and quick). */
    record Case(String size, int side, String neighbourhood, int instances, int quickInstances) {
        String variant(String what) {
            return what + " per instance " + neighbourhood + "-grid";
        }
    }

    static final List<Case> CASES = List.of(
            new Case("12x12", 12, "8", 200, 20),
            new Case("12x12", 12, "4", 200, 20),
            new Case("30x30", 30, "8", 40, 5));

    @Override
    public String name() {
        return "shortest-path";
    }

    @Override
    public String description() {
        return "shortest-path solver per instance on 12x12 and 30x30 costs, Dijkstra and JGraphT (the costs of"
                + " scripts/shortest_path_reference.py, for scripts/bench-shortest-path-vs-reference)";
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) {
        ProviderRegistry<MapSolverProvider> solvers = context.discovery().solvers();
        MapSolverProvider provider = solvers.get(SOLVER);
        List<BenchmarkResult> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Case c : CASES) {
                int count = context.quick() ? c.quickInstances() : c.instances();
                int n = c.side() * c.side();
                float[] costs = splitmixCosts(COST_SEED, count * n);
                Shape one = new Shape(1, c.side(), c.side());
                float[][] instances = new float[count][];
                for (int b = 0; b < count; b++) {
                    instances[b] = java.util.Arrays.copyOfRange(costs, b * n, (b + 1) * n);
                }
                for (String algorithm : List.of("dijkstra", "jgrapht")) {
                    MapSolver solver = provider.create(Config.of(
                            Map.of("neighbourhood", c.neighbourhood(), "algorithm", algorithm, "parallelism", 1)));
                    long digest = 0;
                    for (int b = 0; b < count; b++) {
                        digest += digest(b, solver.solveOnHost(instances[b], one, manager));
                    }
                    int[] next = {0};
                    int warmUp = context.quick() ? count : 3 * count;
                    int reps = context.quick() ? count : 5 * count;
                    Timing.Summary t = Timing.measure(warmUp, reps, () -> {
                        solver.solveOnHost(instances[next[0]], one, manager);
                        next[0] = (next[0] + 1) % count;
                    });
                    String variant = c.variant(algorithm);
                    String reference = context.reference().note(c.size(), c.variant("dijkstra"), t.medianMillis());
                    rows.add(new BenchmarkResult(
                            name(),
                            variant,
                            c.size(),
                            t.repetitions(),
                            t.medianMillis(),
                            t.minMillis(),
                            "paths digest " + digest + (reference.isEmpty() ? "" : "; " + reference)));
                }
                MapSolver batched = provider.create(Config.of(Map.of("neighbourhood", c.neighbourhood())));
                NDArray theta = manager.create(costs, new Shape(count, c.side(), c.side()));
                Timing.Summary all = Timing.measure(
                        3, context.quick() ? 3 : 20, () -> batched.solve(theta).close());
                rows.add(new BenchmarkResult(
                        name(),
                        "solve of " + count + " instances, per instance, " + c.neighbourhood() + "-grid",
                        c.size(),
                        all.repetitions(),
                        all.medianMillis() / count,
                        all.minMillis() / count,
                        String.format(
                                Locale.ROOT,
                                "a batch [%d, %d, %d] on %d threads",
                                count,
                                c.side(),
                                c.side(),
                                Runtime.getRuntime().availableProcessors())));
                theta.close();
                context.progress().printf("shortest-path: %s %s-grid done%n", c.size(), c.neighbourhood());
                context.progress().flush();
            }
        }
        return rows;
    }

    /**
     * {@code count} costs: splitmix64 from {@code seed}, the top 24 bits of each draw over 2^24
     * (the reference script's generator, so both sides solve the same numbers).
     */
    static float[] splitmixCosts(long seed, int count) {
        float[] values = new float[count];
        long state = seed;
        for (int i = 0; i < count; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            values[i] = (z >>> 40) / 16777216f;
        }
        return values;
    }

    /** The reference script's digest of one instance's path: the sum of (b * 1009 + i * 7919) mod 1000003 over its cells i. */
    static long digest(int b, float[] path) {
        long sum = 0;
        for (int i = 0; i < path.length; i++) {
            if (path[i] == 1f) {
                sum += ((long) b * 1009 + (long) i * 7919) % 1000003;
            }
        }
        return sum;
    }
}
